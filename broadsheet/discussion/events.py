"""Telling live readers what changed in a thread.

Every change a reader could see is written as a ThreadEvent in the same
transaction as the change, so the log is complete and ordered even if a
process dies; after commit, subscribers are woken (Redis pub/sub when
REDIS_URL is set; otherwise the SSE endpoint polls the table).
"""

from django.db import transaction
from django.db.models import F

from broadsheet.core import sql

from .live import publish
from .models import EventKind, Thread, ThreadEvent
from .stamps import stamp_bump


def announce(*, thread_id: int, kind: EventKind, comment_id: int, parent_id: int | None) -> None:
    """Records the event and bumps the thread's version (which keys its caches)."""
    Thread.objects.filter(pk=thread_id).update(version=F("version") + 1)
    record_event(thread_id=thread_id, kind=kind, comment_id=comment_id, parent_id=parent_id)


def record_event(
    *, thread_id: int, kind: EventKind, comment_id: int, parent_id: int | None
) -> None:
    """`announce` for a caller that has bumped the thread's version in its own update."""
    event = sql.insert(
        ThreadEvent(thread_id=thread_id, kind=kind, comment_id=comment_id, parent_id=parent_id)
    )
    stamp_bump(thread_id=thread_id)
    transaction.on_commit(lambda: publish(thread_id=thread_id, event_id=event.pk))
