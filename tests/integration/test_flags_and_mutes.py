"""Readers' flags (one per reader, weighted by trust, hiding past a threshold, rate-limited
for guests) and mutes (a commenter collapsed for the muter only)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from broadsheet.accounts.guests import guest_key_hash
from broadsheet.accounts.viewers import ANONYMOUS, Viewer
from broadsheet.core.clock import now
from broadsheet.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from broadsheet.discussion import selectors
from broadsheet.discussion.models import Comment, CommentStatus, EventKind, Thread, ThreadEvent
from broadsheet.discussion.services import NewComment, insert_comment
from broadsheet.discussion.trees import mark_muted
from broadsheet.moderation.flags import (
    GUEST_WEIGHT,
    RateLimited,
    flag_comment,
    flag_weight_for,
    flags_resolve,
)
from broadsheet.moderation.models import (
    ActionKind,
    Flag,
    FlagResolution,
    ModerationAction,
    Mute,
    UserStanding,
)
from broadsheet.moderation.mutes import mute_commenter, mute_remove, muted_by, mutes_list

pytestmark = pytest.mark.django_db


def comment_on(
    thread: Thread, *, author=None, guest_key: str = "", body: str = "A point."
) -> Comment:
    return insert_comment(
        thread=thread,
        parent=None,
        new=NewComment(
            body_source=body,
            body_html=f"<p>{body}</p>",
            status=CommentStatus.PUBLISHED,
            created_at=now(),
            author=author,
            guest_name="" if author else "Pat",
            guest_key_hash=guest_key_hash(guest_key) if guest_key else "",
        ),
    )


@pytest.fixture
def thread(article) -> Thread:
    return article.thread


@pytest.fixture
def target(thread, make_user) -> Comment:
    return comment_on(thread, author=make_user(display_name="Loud Commenter"))


def test_one_flag_per_reader(target, make_user):
    reader = Viewer(user=make_user())
    outcome = flag_comment(comment_id=target.pk, viewer=reader, reason="abuse", note="")
    assert outcome.flag.reason == "abuse" and not outcome.held
    with pytest.raises(Conflict, match="You have already flagged this comment"):
        flag_comment(comment_id=target.pk, viewer=reader, reason="spam", note="")
    target.refresh_from_db()
    assert Flag.objects.filter(comment=target).count() == 1
    assert target.flag_weight == pytest.approx(1.0)


def test_one_flag_per_guest_token(target):
    guest = Viewer(guest_key="flagging-guest")
    flag_comment(comment_id=target.pk, viewer=guest, reason="spam")
    with pytest.raises(Conflict):
        flag_comment(comment_id=target.pk, viewer=guest, reason="spam")
    assert Flag.objects.get(comment=target).reporter_guest_hash == guest.guest_hash


def test_not_on_ones_own_comment_nor_without_identity(target):
    with pytest.raises(Forbidden, match="your own comment"):
        flag_comment(comment_id=target.pk, viewer=Viewer(user=target.author), reason="spam")
    with pytest.raises(Forbidden, match="cookies"):
        flag_comment(comment_id=target.pk, viewer=ANONYMOUS, reason="spam")


def test_reason_and_note_are_checked(target, make_user):
    reader = Viewer(user=make_user())
    with pytest.raises(InvalidInput, match="Choose why"):
        flag_comment(comment_id=target.pk, viewer=reader, reason="boring")
    with pytest.raises(InvalidInput, match="in a few words"):
        flag_comment(comment_id=target.pk, viewer=reader, reason="other", note="  ")
    with pytest.raises(InvalidInput, match="limit is 500"):
        flag_comment(comment_id=target.pk, viewer=reader, reason="other", note="x" * 501)
    assert not Flag.objects.exists()
    flag = flag_comment(comment_id=target.pk, viewer=reader, reason="other", note="Doxxing").flag
    assert flag.note == "Doxxing"


def test_weights_follow_trust(make_user):
    new, trusted, leader = make_user(), make_user(), make_user()
    UserStanding.objects.create(user=trusted, trust_level=3)
    UserStanding.objects.create(user=leader, trust_level=4)
    assert flag_weight_for(Viewer(guest_key="g")) == GUEST_WEIGHT
    assert flag_weight_for(Viewer(user=new)) == 1.0
    assert flag_weight_for(Viewer(user=trusted)) == 2.0
    assert flag_weight_for(Viewer(user=leader)) == 3.0
    assert GUEST_WEIGHT < flag_weight_for(Viewer(user=new)) < flag_weight_for(Viewer(user=trusted))


def test_weighted_flags_hide_the_comment_at_the_threshold(target, thread, make_user, settings):
    settings.BROADSHEET_FLAG_HIDE_WEIGHT = 3
    thread.refresh_from_db()
    count, version = thread.comment_count, thread.version
    trusted = make_user()
    UserStanding.objects.create(user=trusted, trust_level=3)
    first = flag_comment(comment_id=target.pk, viewer=Viewer(guest_key="g1"), reason="hate")
    assert not first.held
    second = flag_comment(comment_id=target.pk, viewer=Viewer(user=trusted), reason="hate")
    assert not second.held  # 0.5 + 2.0 = 2.5
    third = flag_comment(comment_id=target.pk, viewer=Viewer(guest_key="g2"), reason="abuse")
    assert third.held  # 3.0
    target.refresh_from_db()
    thread.refresh_from_db()
    assert target.status == CommentStatus.HELD
    assert target.flag_weight == pytest.approx(3.0)
    assert target.moderation_reasons[-1]["check"] == "flags"
    assert thread.comment_count == count - 1
    assert thread.version > version
    assert ThreadEvent.objects.filter(
        thread=thread, comment_id=target.pk, kind=EventKind.REMOVED
    ).exists()
    # Out of readers' view now (and no more flags): a new flag finds nothing.
    with pytest.raises(NotFound):
        flag_comment(comment_id=target.pk, viewer=Viewer(guest_key="g3"), reason="abuse")
    # The author still sees it, awaiting moderation.
    assert selectors.comment_get(comment_id=target.pk, viewer=Viewer(user=target.author))


def test_upheld_flags_count_against_the_author(target, make_user, moderator):
    for _ in range(2):
        flag_comment(comment_id=target.pk, viewer=Viewer(user=make_user()), reason="abuse")
    assert flags_resolve(comment=target, upheld=True, actor=moderator) is None
    standing = UserStanding.objects.get(user=target.author)
    assert standing.upheld_flags_count == 1
    assert set(Flag.objects.values_list("resolution", flat=True)) == {FlagResolution.UPHELD}
    target.refresh_from_db()
    assert target.flag_weight == 0


def test_dismissed_flags_stop_counting_and_are_logged(target, make_user, moderator):
    flag_comment(comment_id=target.pk, viewer=Viewer(user=make_user()), reason="spam")
    action = flags_resolve(comment=target, upheld=False, actor=moderator)
    assert action.kind == ActionKind.FLAGS_DISMISS and action.actor == moderator
    assert action.change["flag_weight"] == [1.0, 0.0]
    assert set(Flag.objects.values_list("resolution", flat=True)) == {FlagResolution.DISMISSED}
    assert not UserStanding.objects.filter(user=target.author, upheld_flags_count__gt=0).exists()
    assert ModerationAction.objects.count() == 1


def test_guests_are_rate_limited_by_token_and_by_address(thread, make_user, settings):
    settings.BROADSHEET_FLAG_LIMITS = {"guest": 2, "address": 3, "member": 30}
    author = make_user()
    comments = [comment_on(thread, author=author, body=f"Point {i}") for i in range(5)]
    first = Viewer(guest_key="rate-guest-1")
    for c in comments[:2]:
        flag_comment(comment_id=c.pk, viewer=first, reason="spam", client_address="203.0.113.9")
    with pytest.raises(RateLimited, match="a lot of comments") as refused:
        flag_comment(
            comment_id=comments[2].pk, viewer=first, reason="spam", client_address="203.0.113.9"
        )
    assert refused.value.status == 429
    # A fresh token from the same address gets the address's remaining one.
    second = Viewer(guest_key="rate-guest-2")
    flag_comment(
        comment_id=comments[2].pk, viewer=second, reason="spam", client_address="203.0.113.9"
    )
    with pytest.raises(RateLimited):
        flag_comment(
            comment_id=comments[3].pk, viewer=second, reason="spam", client_address="203.0.113.9"
        )
    # Elsewhere, that token still has room; nothing was written for the refused ones.
    flag_comment(
        comment_id=comments[3].pk, viewer=second, reason="spam", client_address="198.51.100.7"
    )
    assert Flag.objects.count() == 4


def test_mute_collapses_only_for_the_muter(thread, make_user):
    muter, other = make_user(), make_user()
    loud = make_user(display_name="Loud")
    loud_comment = comment_on(thread, author=loud)
    guest_comment = comment_on(thread, guest_key="guest-commenter")
    calm = comment_on(thread, author=make_user())
    mute_commenter(viewer=Viewer(user=muter), comment_id=loud_comment.pk)
    mute_commenter(viewer=Viewer(user=muter), comment_id=guest_comment.pk)
    # Muting again keeps the one mute.
    mute_commenter(viewer=Viewer(user=muter), comment_id=loud_comment.pk)

    def muted_ids(viewer: Viewer) -> set[int]:
        page = selectors.thread_page(thread=thread, viewer=viewer)
        muted = muted_by(viewer)
        mark_muted(page.roots, users=muted.users, guests=muted.guests)
        return {n.comment.pk for root in page.roots for n in root.walk() if n.muted}

    assert muted_ids(Viewer(user=muter)) == {loud_comment.pk, guest_comment.pk}
    assert muted_ids(Viewer(user=other)) == set()
    assert muted_ids(ANONYMOUS) == set()
    assert calm.pk not in muted_ids(Viewer(user=muter))
    entries = mutes_list(viewer=Viewer(user=muter))
    assert [(e.name, e.is_guest) for e in entries] == [("Pat", True), ("Loud", False)]
    mute_remove(viewer=Viewer(user=muter), mute_id=entries[1].id)
    assert muted_ids(Viewer(user=muter)) == {guest_comment.pk}
    # Someone else's mute can't be removed by another reader.
    with pytest.raises(NotFound):
        mute_remove(viewer=Viewer(user=other), mute_id=entries[0].id)


def test_a_guest_reader_can_mute_and_nobody_mutes_themselves(thread, make_user):
    loud = comment_on(thread, author=make_user())
    guest = Viewer(guest_key="muting-guest")
    mute_commenter(viewer=guest, comment_id=loud.pk)
    assert muted_by(guest).users == {loud.author_id}
    with pytest.raises(InvalidInput, match="mute yourself"):
        mute_commenter(viewer=Viewer(user=loud.author), comment_id=loud.pk)
    with pytest.raises(Forbidden):
        mute_commenter(viewer=ANONYMOUS, comment_id=loud.pk)


@pytest.mark.parametrize("reader", ["member", "guest"])
def test_the_database_keeps_one_mute_per_reader_and_commenter(thread, make_user, reader):
    muter = Viewer(user=make_user()) if reader == "member" else Viewer(guest_key="guest-muter")
    by = {"muter": muter.user} if muter.user else {"muter_guest_hash": muter.guest_hash}
    loud = comment_on(thread, author=make_user())
    guest = comment_on(thread, guest_key="guest-commenter")
    for target in ({"muted_user": loud.author}, {"muted_guest_hash": guest.guest_key_hash}):
        Mute.objects.create(**by, **target)
        # A second, as a concurrent request would make after both found none.
        with pytest.raises(IntegrityError), transaction.atomic():
            Mute.objects.create(**by, **target)
    # The service finds the one there is.
    assert mute_commenter(viewer=muter, comment_id=loud.pk).muted_user == loud.author
    assert Mute.objects.count() == 2


def test_reading_mutes_costs_one_query_and_none_when_anonymous(make_user):
    with CaptureQueriesContext(connection) as queries:
        assert not muted_by(ANONYMOUS)
    assert len(queries) == 0
    member = Viewer(user=make_user())
    with CaptureQueriesContext(connection) as queries:
        muted_by(member)
        muted_by(Viewer(guest_key="someone"))
    assert len(queries) == 2


def test_flags_on_old_comments_still_count(thread, make_user):
    old = comment_on(thread, author=make_user())
    Comment.objects.filter(pk=old.pk).update(created_at=now() - timedelta(days=400))
    assert flag_comment(comment_id=old.pk, viewer=Viewer(user=make_user()), reason="spam").flag
