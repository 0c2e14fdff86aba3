"""Who sees what, through the selectors every page and (later) the API use."""

import pytest

from broadsheet.accounts.viewers import ANONYMOUS, Viewer
from broadsheet.core import sql
from broadsheet.core.clock import now
from broadsheet.core.errors import NotFound
from broadsheet.discussion import selectors
from broadsheet.discussion.models import Comment, CommentStatus, ThreadStatus
from broadsheet.discussion.services import NewComment, insert_comment, thread_update
from broadsheet.discussion.visibility import visible_sql, visible_to
from broadsheet.moderation.intake import submit_comment

pytestmark = pytest.mark.django_db


def ids(page) -> list[int]:
    return [n.comment.pk for root in page.roots for n in root.walk()]


@pytest.fixture
def held_thread(article):
    thread_update(thread=article.thread, premoderated=True)
    article.thread.refresh_from_db()
    return article.thread


def test_held_comment_is_seen_by_its_guest_author_and_moderators_only(
    held_thread, guest, moderator, make_user
):
    held = submit_comment(thread=held_thread, viewer=guest, body="wait", guest_name="Ana").comment
    assert held.status == CommentStatus.HELD
    assert ids(selectors.thread_page(thread=held_thread, viewer=guest)) == [held.pk]
    assert ids(selectors.thread_page(thread=held_thread, viewer=Viewer(user=moderator))) == [
        held.pk
    ]
    for other in (ANONYMOUS, Viewer(guest_key="someone-else"), Viewer(user=make_user())):
        assert ids(selectors.thread_page(thread=held_thread, viewer=other)) == []
        with pytest.raises(NotFound):
            selectors.comment_get(comment_id=held.pk, viewer=other)


def test_held_comment_of_a_user_is_seen_by_that_user(held_thread, make_user):
    user = make_user()
    held = submit_comment(thread=held_thread, viewer=Viewer(user=user), body="mine").comment
    page = selectors.thread_page(thread=held_thread, viewer=Viewer(user=user))
    assert ids(page) == [held.pk] and page.roots[0].awaiting_moderation


def test_permalink_context_of_a_deep_comment(article, guest):
    parent_id = None
    comments = []
    for depth in range(12):
        c = submit_comment(
            thread=article.thread,
            viewer=guest,
            body=f"d{depth}",
            guest_name="A",
            parent_id=parent_id,
        ).comment
        comments.append(c)
        parent_id = c.pk
    target = comments[10]
    ctx = selectors.comment_context(comment_id=target.pk, viewer=ANONYMOUS)
    assert [a.pk for a in ctx.ancestors] == [c.pk for c in comments[:10]]
    assert ctx.node.focused and [n.comment.pk for n in ctx.node.walk()] == [
        target.pk,
        comments[11].pk,
    ]


def test_permalink_pages_a_large_subtree_with_a_cursor(article, guest, settings):
    settings.BROADSHEET_PAGE_MAX_COMMENTS = 5
    root = submit_comment(thread=article.thread, viewer=guest, body="root", guest_name="A").comment
    replies = [
        submit_comment(
            thread=article.thread, viewer=guest, body=f"r{i}", guest_name="B", parent_id=root.pk
        ).comment
        for i in range(8)
    ]
    first = selectors.comment_context(comment_id=root.pk, viewer=ANONYMOUS)
    assert [n.comment.pk for n in first.node.children] == [r.pk for r in replies[:5]]
    second = selectors.comment_context(
        comment_id=root.pk, viewer=ANONYMOUS, after=first.next_cursor
    )
    assert [n.comment.pk for n in second.node.children] == [r.pk for r in replies[5:]]
    assert second.next_cursor is None


def test_hidden_thread_is_not_found_for_readers_but_moderators_see_it(article, guest, moderator):
    c = submit_comment(thread=article.thread, viewer=guest, body="x", guest_name="A").comment
    thread_update(thread=article.thread, status=ThreadStatus.HIDDEN)
    with pytest.raises(NotFound):
        selectors.thread_get(thread_id=article.thread.pk, viewer=ANONYMOUS)
    with pytest.raises(NotFound):
        selectors.comment_get(comment_id=c.pk, viewer=guest)
    assert selectors.comment_get(comment_id=c.pk, viewer=Viewer(user=moderator)).pk == c.pk


def test_counts_follow_what_guests_can_see(held_thread, article, guest):
    submit_comment(thread=held_thread, viewer=guest, body="held", guest_name="A")
    thread_update(thread=held_thread, premoderated=False)
    top = submit_comment(thread=held_thread, viewer=guest, body="pub", guest_name="A").comment
    submit_comment(thread=held_thread, viewer=guest, body="re", guest_name="A", parent_id=top.pk)
    held_thread.refresh_from_db()
    assert (held_thread.comment_count, held_thread.top_level_count) == (2, 1)


def test_nobody_can_reply_to_a_held_comment_they_cannot_see(held_thread, guest):
    held = submit_comment(thread=held_thread, viewer=guest, body="wait", guest_name="Ana").comment
    stranger = Viewer(guest_key="stranger")
    with pytest.raises(NotFound, match="does not exist"):
        submit_comment(
            thread=held_thread, viewer=stranger, body="x", guest_name="B", parent_id=held.pk
        )
    own = submit_comment(
        thread=held_thread, viewer=guest, body="and more", guest_name="Ana", parent_id=held.pk
    ).comment
    assert own.parent_id == held.pk


def test_the_plain_sql_condition_shows_each_viewer_what_the_orm_one_does(
    article, make_user, moderator
):
    """`visible_sql` (the posting path's reads) and `visible_to` agree row for row."""
    member, other_member = make_user(), make_user()
    ana, bob = Viewer(guest_key="ana"), Viewer(guest_key="bob")
    authors = [
        {"author": member},
        {"author": other_member},
        {"guest_key_hash": ana.guest_hash, "guest_name": "Ana"},
        {"guest_key_hash": bob.guest_hash, "guest_name": "Bob"},
    ]
    for status in CommentStatus:
        for shadowed in (False, True):
            for who in authors:
                insert_comment(
                    thread=article.thread,
                    parent=None,
                    new=NewComment(
                        body_source="x", body_html="<p>x</p>", status=status,
                        created_at=now(), shadowed=shadowed, **who,
                    ),
                )  # fmt: skip
    viewers = [ANONYMOUS, ana, bob, Viewer(guest_key="carol"), Viewer(user=member)]
    viewers += [Viewer(user=other_member), Viewer(user=moderator)]
    for viewer in viewers:
        condition, params = visible_sql(viewer)
        by_sql = sql.rows(
            f"SELECT id FROM {sql.table(Comment)} WHERE thread_id = %s AND {condition}",  # noqa: S608
            [article.thread_id, *params],
        )
        by_orm = Comment.objects.filter(visible_to(viewer), thread=article.thread)
        assert sorted(i for (i,) in by_sql) == sorted(by_orm.values_list("id", flat=True))
    # The matrix is not trivial: viewers see different sets.
    assert len({str(visible_sql(v)) for v in viewers}) >= 4
