"""Writes to threads and comments.

`insert_comment` is the low-level write under the one intake service
(`broadsheet.moderation.intake.submit_comment`); nothing else should call it.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F

from broadsheet.accounts.models import User

from .models import Comment, CommentStatus, Thread, ThreadStatus
from .positions import child_path, depth_of, segment


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
        thread.refresh_from_db()
    return thread


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


def insert_comment(*, thread: Thread, parent: Comment | None, new: NewComment) -> Comment:
    """Places one comment in the thread and keeps the thread's counts right."""
    with transaction.atomic():
        seq = reserve_positions(thread_id=thread.pk, count=1)
        path = child_path(parent.path, seq) if parent else segment(seq)
        comment = Comment.objects.create(
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
        )
        published = new.status == CommentStatus.PUBLISHED
        Thread.objects.filter(pk=thread.pk).update(
            comment_count=F("comment_count") + int(published),
            top_level_count=F("top_level_count") + int(published and parent is None),
            version=F("version") + 1,
        )
    return comment


def thread_recount(*, thread: Thread) -> Thread:
    """Recomputes the stored counts from the comments (after bulk loads and repairs)."""
    published = Comment.objects.filter(thread=thread, status=CommentStatus.PUBLISHED)
    Thread.objects.filter(pk=thread.pk).update(
        comment_count=published.count(),
        top_level_count=published.filter(depth=0).count(),
        version=F("version") + 1,
    )
    thread.refresh_from_db()
    return thread
