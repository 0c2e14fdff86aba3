"""Votes: one per voter per comment, change or withdraw, never on one's own; sorts follow."""

import pytest

from broadsheet.accounts.viewers import Viewer
from broadsheet.core.errors import Forbidden, InvalidInput
from broadsheet.discussion import selectors
from broadsheet.discussion.models import Vote
from broadsheet.discussion.services import comment_vote
from broadsheet.discussion.sorts import CommentSort, controversy, wilson_lower_bound
from broadsheet.moderation.intake import submit_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(article, guest):
    return submit_comment(
        thread=article.thread, viewer=guest, body="Vote on me", guest_name="A"
    ).comment


def test_vote_change_and_withdraw(comment, make_user):
    voter = Viewer(user=make_user())
    assert comment_vote(comment_id=comment.pk, viewer=voter, value=1).upvotes == 1
    assert comment_vote(comment_id=comment.pk, viewer=voter, value=1).upvotes == 1
    changed = comment_vote(comment_id=comment.pk, viewer=voter, value=-1)
    assert (changed.upvotes, changed.downvotes, changed.net_score) == (0, 1, -1)
    withdrawn = comment_vote(comment_id=comment.pk, viewer=voter, value=0)
    assert (withdrawn.upvotes, withdrawn.downvotes) == (0, 0)
    assert not Vote.objects.exists()


def test_guests_vote_by_token_so_an_office_behind_one_address_counts(comment):
    for n in range(3):
        comment_vote(comment_id=comment.pk, viewer=Viewer(guest_key=f"browser-{n}"), value=1)
    comment.refresh_from_db()
    assert comment.upvotes == 3


def test_no_vote_on_own_comment(comment, guest):
    with pytest.raises(Forbidden, match="your own comment"):
        comment_vote(comment_id=comment.pk, viewer=guest, value=1)


def test_bad_vote_value_and_voter_without_identity(comment):
    with pytest.raises(InvalidInput):
        comment_vote(comment_id=comment.pk, viewer=Viewer(guest_key="x"), value=5)
    with pytest.raises(Forbidden):
        comment_vote(comment_id=comment.pk, viewer=Viewer(), value=1)


def test_scores_stored_and_sorts_order_by_them(article, guest):
    bodies = ["loved", "hated", "split", "quiet"]
    made = {
        b: submit_comment(thread=article.thread, viewer=guest, body=b, guest_name="A").comment
        for b in bodies
    }
    plan = {"loved": (6, 0), "hated": (0, 5), "split": (5, 5), "quiet": (0, 0)}
    for body, (ups, downs) in plan.items():
        for i in range(ups + downs):
            value = 1 if i < ups else -1
            comment_vote(comment_id=made[body].pk, viewer=Viewer(guest_key=f"v{i}"), value=value)

    def order(sort):
        page = selectors.thread_page(thread=article.thread, viewer=guest, sort=sort)
        return [n.comment.body_source for n in page.roots]

    assert order(CommentSort.TOP)[0] == "loved" and order(CommentSort.TOP)[-1] == "hated"
    assert order(CommentSort.BEST)[0] == "loved"
    assert order(CommentSort.CONTROVERSIAL)[0] == "split"
    assert order(CommentSort.NEWEST) == list(reversed(bodies))
    assert order(CommentSort.OLDEST) == bodies


def test_wilson_lower_bound_prefers_more_evidence():
    assert wilson_lower_bound(0, 0) == 0
    assert wilson_lower_bound(100, 10) > wilson_lower_bound(10, 1) > wilson_lower_bound(1, 0)
    assert round(wilson_lower_bound(1, 0), 3) == 0.378
    assert controversy(10, 10) > controversy(10, 2) > controversy(10, 0) == 0


def test_viewer_sees_own_vote_on_the_page(comment, make_user, article):
    user = make_user()
    comment_vote(comment_id=comment.pk, viewer=Viewer(user=user), value=-1)
    page = selectors.thread_page(thread=article.thread, viewer=Viewer(user=user))
    assert page.roots[0].my_vote == -1
