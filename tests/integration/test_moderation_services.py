"""Moderation decisions with a database: approve, reject, spam, revert, feature, bulk, counts,
the audit log, and trust."""

from datetime import timedelta

import pytest
from moderation_calls import CIVIL, guest, post, refresh, visible_ids  # tests/ is not a package

from broadsheet.accounts.viewers import ANONYMOUS, Viewer
from broadsheet.core.clock import now
from broadsheet.core.errors import Conflict, Forbidden, InvalidInput
from broadsheet.discussion import selectors
from broadsheet.discussion.models import Comment, CommentStatus, EventKind, ThreadEvent
from broadsheet.discussion.services import thread_recount
from broadsheet.moderation import services
from broadsheet.moderation.models import ActionKind, UserStanding
from broadsheet.moderation.notes import decision_notes
from broadsheet.moderation.trust import trust_recompute

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


# -- decisions ------------------------------------------------------------------------------------


def test_approve_publishes_counts_announces_logs_and_tells_the_guest(premoderated, moderator):
    held = post(premoderated, guest("g1")).comment
    assert held.status == CommentStatus.HELD
    assert refresh(premoderated).comment_count == 0
    assert held.pk not in visible_ids(premoderated, ANONYMOUS)
    version = premoderated.version

    action = services.comment_approve(comment_id=held.pk, actor=moderator)

    held.refresh_from_db()
    thread = refresh(premoderated)
    assert held.status == CommentStatus.PUBLISHED
    assert thread.comment_count == 1 and thread.top_level_count == 1
    assert thread.version > version
    assert ThreadEvent.objects.filter(comment_id=held.pk, kind=EventKind.CREATED).count() == 2
    assert held.pk in visible_ids(thread, ANONYMOUS)
    assert action.kind == ActionKind.APPROVE and action.actor == moderator
    assert action.change == {"status": ["held", "published"]}
    (note,) = decision_notes(viewer=guest("g1"))
    assert note.approved and "was approved" in note.text
    assert decision_notes(viewer=guest("someone-else")) == []


def test_reject_needs_a_reason_and_the_commenter_reads_it(article, moderator, make_user):
    writer = make_user()
    comment = post(article.thread, Viewer(user=writer)).comment
    assert refresh(article.thread).comment_count == 1
    with pytest.raises(InvalidInput, match="Give a reason"):
        services.comment_reject(comment_id=comment.pk, actor=moderator, reason=" ")

    services.comment_reject(comment_id=comment.pk, actor=moderator, reason="Personal attack.")

    assert refresh(article.thread).comment_count == 0
    (note,) = decision_notes(viewer=Viewer(user=writer))
    assert note.text.endswith("was rejected: Personal attack.")
    writer.standing.refresh_from_db()
    assert writer.standing.rejected_count == 1


def test_a_rejected_comment_with_replies_becomes_removed_and_keeps_them(article, moderator):
    parent = post(article.thread, guest("p")).comment
    reply = post(article.thread, guest("r"), "I disagree with that, politely.", parent_id=parent.pk)
    services.comment_reject(comment_id=parent.pk, actor=moderator, reason="Off topic.")
    page = selectors.thread_page(thread=article.thread, viewer=ANONYMOUS)
    (root,) = page.roots
    assert root.is_tombstone and not root.show_body
    assert [c.comment.pk for c in root.children] == [reply.comment.pk]


def test_spam_and_revert_restores_status_and_counts(article, moderator):
    comment = post(article.thread, guest("s")).comment
    action = services.comment_mark_spam(comment_id=comment.pk, actor=moderator)
    assert refresh(article.thread).comment_count == 0

    revert = services.revert_action(action_id=action.pk, actor=moderator)

    comment.refresh_from_db()
    action.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    assert refresh(article.thread).comment_count == 1
    assert action.reverted_by == revert and revert.kind == ActionKind.REVERT
    with pytest.raises(Conflict, match="reverted already"):
        services.revert_action(action_id=action.pk, actor=moderator)
    with pytest.raises(InvalidInput, match="can't be reverted"):
        services.revert_action(action_id=revert.pk, actor=moderator)


def test_a_stale_revert_is_refused(premoderated, moderator):
    comment = post(premoderated, guest("x")).comment
    approve = services.comment_approve(comment_id=comment.pk, actor=moderator)
    services.comment_reject(comment_id=comment.pk, actor=moderator, reason="Changed my mind.")
    with pytest.raises(Conflict, match="changed since"):
        services.revert_action(action_id=approve.pk, actor=moderator)


def test_deciding_twice_is_a_conflict(premoderated, moderator):
    comment = post(premoderated, guest("x")).comment
    services.comment_approve(comment_id=comment.pk, actor=moderator)
    with pytest.raises(Conflict, match="published already"):
        services.comment_approve(comment_id=comment.pk, actor=moderator)


def test_only_moderators_decide(article, make_user):
    comment = post(article.thread, guest("x")).comment
    with pytest.raises(Forbidden, match="Only moderators"):
        services.comment_mark_spam(comment_id=comment.pk, actor=make_user())


def test_edit_and_approve_goes_through_the_content_checks(premoderated, moderator):
    comment = post(premoderated, guest("e")).comment
    with pytest.raises(InvalidInput, match="would be rejected"):
        services.comment_edit_approve(
            comment_id=comment.pk, actor=moderator, body="Go kill yourself."
        )
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HELD

    action = services.comment_edit_approve(
        comment_id=comment.pk, actor=moderator, body="The ferry timetable matters, **truly**."
    )

    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    assert "<strong>truly</strong>" in comment.body_html and comment.edited_at
    assert refresh(premoderated).comment_count == 1
    services.revert_action(action_id=action.pk, actor=moderator)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HELD and comment.body_source == CIVIL


def test_feature_and_unfeature(article, moderator):
    comment = post(article.thread, guest("f")).comment
    action = services.comment_feature(comment_id=comment.pk, actor=moderator)
    comment.refresh_from_db()
    assert comment.featured
    with pytest.raises(Conflict):
        services.comment_feature(comment_id=comment.pk, actor=moderator)
    services.revert_action(action_id=action.pk, actor=moderator)
    comment.refresh_from_db()
    assert not comment.featured


def test_bulk_approve_skips_what_cannot_be_approved(premoderated, moderator):
    first = post(premoderated, guest("b1")).comment
    second = post(premoderated, guest("b2"), "Another view on the harbour plan entirely.").comment
    services.comment_approve(comment_id=second.pk, actor=moderator)
    actions = services.comments_approve_bulk(
        comment_ids=[first.pk, second.pk, 999999], actor=moderator
    )
    assert [a.comment_id for a in actions] == [first.pk]
    assert refresh(premoderated).comment_count == 2


# -- trust ----------------------------------------------------------------------------------------


def test_trust_rises_with_approvals_and_age_and_falls_with_rejections(
    article, make_user, moderator
):
    writer = make_user()
    writer.date_joined = now() - timedelta(days=30)
    writer.save(update_fields=["date_joined"])
    assert trust_recompute(user=writer).trust_level == 0  # new accounts start at 0
    for n in range(11):
        Comment.objects.create(
            thread=article.thread, author=writer, path=f"{n:08d}", seq=n + 1000,
            body_source="x", body_html="x", status=CommentStatus.PUBLISHED,
        )  # fmt: skip
    thread_recount(thread=article.thread)
    assert trust_recompute(user=writer).trust_level == 2
    bad = Comment.objects.filter(author=writer).first()
    services.comment_reject(comment_id=bad.pk, actor=moderator, reason="Abuse.")
    assert UserStanding.objects.get(user=writer).trust_level == 1  # 10 - 5 < 10
