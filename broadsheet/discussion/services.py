"""Writes to threads and comments.

`insert_comment` and `comment_revise` are the low-level writes under the one
intake service (`broadsheet.moderation.intake`); nothing else should call them.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F

from broadsheet.accounts.models import User
from broadsheet.accounts.viewers import Viewer
from broadsheet.core import sql
from broadsheet.core.errors import Forbidden, InvalidInput, NotFound

from .events import announce, record_event
from .models import Comment, CommentStatus, EventKind, Thread, ThreadStatus, Vote
from .positions import child_path, depth_of, segment
from .sorts import vote_scores
from .stamps import stamp_bump
from .visibility import is_own, visible_to


def thread_get_or_create(*, key: str, title: str = "") -> Thread:
    thread, _ = Thread.objects.get_or_create(key=key, defaults={"title": title})
    return thread


def thread_update(
    *,
    thread: Thread,
    status: ThreadStatus | str | None = None,
    title: str | None = None,
    premoderated: bool | None = None,
) -> Thread:
    """Changes what an editor controls; None leaves a field as it is."""
    fields: dict[str, object] = {}
    if status is not None:
        fields["status"] = ThreadStatus(status)
    if title is not None:
        fields["title"] = title
    if premoderated is not None:
        fields["premoderated"] = premoderated
    if fields:
        Thread.objects.filter(pk=thread.pk).update(**fields, version=F("version") + 1)
        stamp_bump(thread_id=thread.pk)
        thread.refresh_from_db()
    return thread


def thread_touch(*, thread_id: int) -> None:
    """Something its pages show changed, not a comment (a policy): the next read renders anew."""
    Thread.objects.filter(pk=thread_id).update(version=F("version") + 1)
    stamp_bump(thread_id=thread_id)


def reserve_positions(*, thread_id: int, count: int) -> int:
    """Takes `count` sequence numbers for the thread; returns the first.

    The UPDATE locks the thread row until the transaction ends, so concurrent
    writers to one thread queue here and never share a number.
    """
    Thread.objects.filter(pk=thread_id).update(last_seq=F("last_seq") + count)
    last = Thread.objects.values_list("last_seq", flat=True).get(pk=thread_id)
    return last - count + 1


@dataclass(frozen=True)
class NewComment:
    body_source: str
    body_html: str
    status: CommentStatus
    created_at: datetime
    author: User | None = None
    guest_name: str = ""
    guest_email_hash: str = ""
    guest_key_hash: str = ""
    address_hash: str = ""
    reasons: tuple[dict, ...] = ()
    import_key: str | None = None
    # Shown as published to its author only (moderation: a shadow-banned author).
    shadowed: bool = False
    simhash: int | None = None
    risk: float = 0.0


def insert_comment(*, thread: Thread, parent: Comment | None, new: NewComment) -> Comment:
    """Places one comment in the thread and keeps the thread's counts right."""
    counted = int(new.status == CommentStatus.PUBLISHED and not new.shadowed)
    # Inside a caller's transaction (the intake enqueues its after-the-fact check in it)
    # no savepoint is needed: a failure here rolls the whole post back.
    with transaction.atomic(savepoint=False):
        # One update takes the position, counts the comment and bumps the version: the
        # thread row is locked once per post (reserve_positions, _recount_for, announce).
        # Plain SQL (core/sql.py): this runs for every comment posted.
        (seq,) = sql.rows(
            f"UPDATE {sql.table(Thread)} SET last_seq = last_seq + 1, "  # noqa: S608
            "comment_count = comment_count + %s, top_level_count = top_level_count + %s, "
            "version = version + 1 WHERE id = %s RETURNING last_seq",
            [counted, 0 if parent else counted, thread.pk],
        )[0]
        path = child_path(parent.path, seq) if parent else segment(seq)
        comment = sql.insert(
            Comment(
                thread=thread,
                parent=parent,
                root_id=(parent.root_id or parent.pk) if parent else None,
                path=path,
                depth=depth_of(path),
                seq=seq,
                author=new.author,
                guest_name=new.guest_name,
                guest_email_hash=new.guest_email_hash,
                guest_key_hash=new.guest_key_hash,
                address_hash=new.address_hash,
                body_source=new.body_source,
                body_html=new.body_html,
                status=new.status,
                moderation_reasons=list(new.reasons),
                created_at=new.created_at,
                import_key=new.import_key,
                shadowed=new.shadowed,
                simhash=new.simhash,
                risk=new.risk,
            )
        )
        record_event(
            thread_id=thread.pk,
            kind=EventKind.CREATED,
            comment_id=comment.pk,
            parent_id=comment.parent_id,
        )
    return comment


def _recount_for(comment: Comment, *, was_published: bool) -> None:
    """Keeps the thread's counts right when a comment's visibility to guests changes.

    A shadowed comment is seen by its author only, so it never counts.
    """
    if comment.shadowed:
        return
    delta = int(comment.status == CommentStatus.PUBLISHED) - int(was_published)
    if delta:
        Thread.objects.filter(pk=comment.thread_id).update(
            comment_count=F("comment_count") + delta,
            top_level_count=F("top_level_count") + (delta if comment.parent_id is None else 0),
        )


def comment_revise(
    *, comment: Comment, body_source: str, body_html: str, status: CommentStatus,
    reasons: tuple[dict, ...], edited_at: datetime, simhash: int | None = None,
    risk: float | None = None,
) -> Comment:  # fmt: skip
    """Stores an edit that the intake has already checked (moderation.intake.edit_comment)."""
    with transaction.atomic():
        was_published = (
            Comment.objects.select_for_update().values_list("status", flat=True).get(pk=comment.pk)
            == CommentStatus.PUBLISHED
        )
        comment.body_source = body_source
        comment.body_html = body_html
        comment.status = status
        comment.moderation_reasons = list(reasons)
        comment.edited_at = edited_at
        comment.simhash = simhash
        if risk is not None:
            comment.risk = risk
        comment.save(
            update_fields=[
                *("body_source", "body_html", "status", "moderation_reasons", "edited_at"),
                *("simhash", "risk"),
            ]
        )
        _recount_for(comment, was_published=was_published)
        announce(
            thread_id=comment.thread_id,
            kind=EventKind.EDITED,
            comment_id=comment.pk,
            parent_id=comment.parent_id,
        )
    return comment


def comment_set_status(
    *,
    comment_id: int,
    status: CommentStatus,
    reasons: list[dict] | None = None,
    expect: tuple[CommentStatus, ...] = (),
) -> tuple[Comment, CommentStatus] | None:
    """Moves a comment to another status for moderation (flags, re-scoring), under its row lock.

    Returns the comment and its status before, or None when `expect` is given and
    the stored status is not one of them (someone decided first). Keeps the
    thread's counts right and announces the change, so cached pages refresh.
    `reasons`, if given, are added to the comment's moderation reasons.
    """
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        before = CommentStatus(comment.status)
        if expect and before not in expect:
            return None
        if before == status and not reasons:
            return comment, before
        comment.status = status
        comment.moderation_reasons = [*comment.moderation_reasons, *(reasons or ())]
        comment.save(update_fields=["status", "moderation_reasons"])
        _recount_for(comment, was_published=before == CommentStatus.PUBLISHED)
        if before == status:
            kind = EventKind.EDITED
        elif status == CommentStatus.PUBLISHED:
            kind = EventKind.CREATED
        else:
            kind = EventKind.REMOVED
        announce(
            thread_id=comment.thread_id,
            kind=kind,
            comment_id=comment.pk,
            parent_id=comment.parent_id,
        )
    return comment, before


def comment_access_own(*, comment_id: int, viewer: Viewer) -> Comment:
    """The viewer's own comment (by account, or by a guest's browser token), or an error."""
    comment = Comment.objects.filter(visible_to(viewer), pk=comment_id).first()
    if comment is None:
        raise NotFound("There is no such comment.")
    if not is_own(comment, viewer):
        raise Forbidden("Only the author can change this comment.", code="not_author")
    if comment.status == CommentStatus.DELETED:
        raise InvalidInput("This comment was deleted.", code="comment_deleted")
    return comment


def comment_delete(*, comment: Comment) -> bool:
    """Deletes a comment at its author's wish. Returns True when the row is gone.

    A comment with replies becomes a "[deleted]" tombstone (its text removed)
    so the replies keep their place; one without replies is removed outright,
    and so is a tombstone parent left with no replies by that removal.
    """
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        was_published = locked.status == CommentStatus.PUBLISHED
        removed = False
        if locked.replies.exists():
            locked.status = CommentStatus.DELETED
            locked.body_source = ""
            locked.body_html = ""
            locked.save(update_fields=["status", "body_source", "body_html"])
            _recount_for(locked, was_published=was_published)
        else:
            parent_id = locked.parent_id
            locked.status = CommentStatus.DELETED
            _recount_for(locked, was_published=was_published)
            locked.delete()
            removed = True
            _prune_empty_tombstones(parent_id)
        announce(
            thread_id=locked.thread_id,
            kind=EventKind.REMOVED,
            comment_id=comment.pk,
            parent_id=locked.parent_id,
        )
    return removed


def _prune_empty_tombstones(comment_id: int | None) -> None:
    while comment_id is not None:
        tombstone = (
            Comment.objects.filter(pk=comment_id, status=CommentStatus.DELETED)
            .exclude(replies__isnull=False)
            .first()
        )
        if tombstone is None:
            return
        comment_id = tombstone.parent_id
        tombstone.delete()


def comment_vote(*, comment_id: int, viewer: Viewer, value: int) -> Comment:
    """Casts, changes (value +1/-1) or withdraws (0) the viewer's one vote on a comment.

    The comment's row is locked for the whole change, so concurrent votes on
    one comment queue and its tallies stay exact; the one-vote-per-voter
    constraints make a repeated vote from one voter a change, never a second vote.
    """
    if value not in (-1, 0, 1):
        raise InvalidInput("A vote is up, down or none.", code="vote_invalid")
    if viewer.user is None and not viewer.guest_hash:
        raise Forbidden("Voting needs cookies enabled.", code="no_guest_token")
    with transaction.atomic():
        try:
            comment = (
                Comment.objects.select_for_update().filter(visible_to(viewer)).get(pk=comment_id)
            )
        except Comment.DoesNotExist:
            raise NotFound("There is no such comment.") from None
        if comment.status != CommentStatus.PUBLISHED:
            raise InvalidInput("Only published comments take votes.", code="vote_not_published")
        if is_own(comment, viewer):
            raise Forbidden("You can't vote on your own comment.", code="vote_own")
        voter = (
            {"user": viewer.user}
            if viewer.user is not None
            else {"user": None, "guest_key_hash": viewer.guest_hash}
        )
        previous = Vote.objects.filter(comment=comment, **voter).first()
        old = previous.value if previous else 0
        if old == value:
            return comment
        if value == 0:
            previous.delete()
        elif previous:
            previous.value = value
            previous.save(update_fields=["value"])
        else:
            Vote.objects.create(comment=comment, value=value, **voter)
        comment.upvotes += int(value == 1) - int(old == 1)
        comment.downvotes += int(value == -1) - int(old == -1)
        scores = vote_scores(comment.upvotes, comment.downvotes)
        comment.net_score, comment.best_score, comment.controversy = scores
        comment.save(
            update_fields=["upvotes", "downvotes", "net_score", "best_score", "controversy"]
        )
    return comment


def thread_recount(*, thread: Thread) -> Thread:
    """Recomputes the stored counts from the comments (after bulk loads and repairs)."""
    published = Comment.objects.filter(
        thread=thread, status=CommentStatus.PUBLISHED, shadowed=False
    )
    Thread.objects.filter(pk=thread.pk).update(
        comment_count=published.count(),
        top_level_count=published.filter(depth=0).count(),
        version=F("version") + 1,
    )
    stamp_bump(thread_id=thread.pk)
    thread.refresh_from_db()
    return thread
