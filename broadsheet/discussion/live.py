"""Fan-out of thread events across processes.

The ThreadEvent table is the truth: every change is written there in the
change's own transaction, so a reader that resumes after an id misses nothing.
What this module adds is *waking* readers promptly. With REDIS_URL set, the
writer PUBLISHes the event id on the thread's channel after commit and every
app process's subscriber wakes the readers of that thread, who then read the
new rows from the table. Without Redis, readers poll the table
(BROADSHEET_LIVE_POLL_SECONDS). A lost wake-up only delays a reader: the
subscriber side still rereads the table whenever its wait times out.
"""

import asyncio
import contextlib
import logging
import time
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import redis
import redis.asyncio as aioredis
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections
from redis.backoff import NoBackoff
from redis.retry import Retry

from broadsheet.accounts.viewers import Viewer

from .models import Comment, EventKind, Thread, ThreadEvent
from .visibility import visible_to

logger = logging.getLogger(__name__)

# How many events one read returns; a reader far behind catches up in batches.
BATCH_SIZE = 200
# Publishing runs after a request's commit: a dead Redis must cost it little.
PUBLISH_TIMEOUT_SECONDS = 0.5
# How long a process's subscriber waits before reconnecting to a lost Redis.
RECONNECT_SECONDS = 2.0

_publish_pool: redis.ConnectionPool | None = None
_publish_pool_url = ""


def channel_for(thread_id: int) -> str:
    return f"{settings.BROADSHEET_LIVE_CHANNEL_PREFIX}thread:{thread_id}"


def _pool() -> redis.ConnectionPool:
    """One pool per process, made on first use (settings may differ in tests)."""
    global _publish_pool, _publish_pool_url
    if _publish_pool is None or _publish_pool_url != settings.REDIS_URL:
        _publish_pool = redis.ConnectionPool.from_url(
            settings.REDIS_URL,
            socket_timeout=PUBLISH_TIMEOUT_SECONDS,
            socket_connect_timeout=PUBLISH_TIMEOUT_SECONDS,
            # One quick retry replaces a pooled connection a Redis restart left dead;
            # more would only hold up the request that is publishing.
            retry=Retry(NoBackoff(), 1),
        )
        _publish_pool_url = settings.REDIS_URL
    return _publish_pool


def publish(*, thread_id: int, event_id: int) -> None:
    """Wakes the thread's readers in every process. Never raises: the event is already stored."""
    if not settings.REDIS_URL:
        return  # readers poll the table
    try:
        redis.Redis(connection_pool=_pool()).publish(channel_for(thread_id), str(event_id))
    except Exception:
        logger.warning(
            "Live fan-out failed for thread %s event %s; readers catch up on their next poll",
            thread_id,
            event_id,
            exc_info=True,
        )


# --------------------------------------------------------------------------- reading


def _event_dict(event: ThreadEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "kind": event.kind,
        "comment_id": event.comment_id,
        "parent_id": event.parent_id,
        "created_at": event.created_at,
    }


def events_after(*, thread_id: int, after_id: int, limit: int = BATCH_SIZE) -> list[dict]:
    """The thread's events after `after_id`, oldest first: one query on (thread, id)."""
    rows = ThreadEvent.objects.filter(thread_id=thread_id, pk__gt=after_id).order_by("pk")
    return [_event_dict(event) for event in rows[:limit]]


def latest_event_id(*, thread_id: int, before: float | None = None) -> int:
    """The id to resume after: the newest event (before a Unix time, if given), else 0.

    `before` lets a page say "I was rendered at t" without knowing event ids,
    so a reader misses nothing that happened between the render and connecting.
    """
    rows = ThreadEvent.objects.filter(thread_id=thread_id)
    if before is not None:
        rows = rows.filter(created_at__lt=datetime.fromtimestamp(before, tz=UTC))
    return rows.order_by("-pk").values_list("pk", flat=True).first() or 0


def events_for_viewer(*, thread_id: int, events: Iterable[dict], viewer: Viewer) -> dict:
    """What a viewer is told: new comments they can see; an edit that hid one is a removal.

    Two queries: the visible comments among the events, and the thread's
    published count (which the page's heading shows).
    """
    events = list(events)
    ids = {e["comment_id"] for e in events if e["kind"] != EventKind.REMOVED}
    visible = set(
        Comment.objects.filter(visible_to(viewer), pk__in=ids).values_list("pk", flat=True)
        if ids
        else ()
    )
    told = []
    for event in events:
        kind = event["kind"]
        if kind == EventKind.CREATED and event["comment_id"] not in visible:
            continue
        if kind == EventKind.EDITED and event["comment_id"] not in visible:
            kind = EventKind.REMOVED
        told.append({**event, "kind": str(kind)})
    count = Thread.objects.filter(pk=thread_id).values_list("comment_count", flat=True).first()
    return {"events": told, "comment_count": count or 0}


def _events_after_and_release(*, thread_id: int, after_id: int) -> list[dict]:
    """Reads, then lets the database connection go (per CONN_MAX_AGE): a reader woken by
    Redis may wait minutes for its next read and should hold no connection meanwhile."""
    try:
        return events_after(thread_id=thread_id, after_id=after_id)
    finally:
        connection = connections[ThreadEvent.objects.db]
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


_aevents_after = sync_to_async(events_after)
_aevents_after_and_release = sync_to_async(_events_after_and_release)


# --------------------------------------------------------------------------- waiting


@dataclass
class _Hub:
    """One Redis subscription per app process (and event loop) for every thread's readers.

    It subscribes to the pattern of all thread channels, so readers come and
    go without SUBSCRIBE/UNSUBSCRIBE traffic, and sets the asyncio.Event of
    every reader waiting on the thread a message names.
    """

    url: str
    prefix: str
    waiters: dict[int, set[asyncio.Event]] = field(default_factory=dict)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task | None = None
    failing: bool = False

    def start(self) -> None:
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._run())

    def add(self, thread_id: int) -> asyncio.Event:
        self.start()
        event = asyncio.Event()
        self.waiters.setdefault(thread_id, set()).add(event)
        return event

    def discard(self, thread_id: int, event: asyncio.Event) -> None:
        waiting = self.waiters.get(thread_id)
        if waiting is not None:
            waiting.discard(event)
            if not waiting:
                del self.waiters[thread_id]

    def wake(self, thread_id: int) -> None:
        for event in self.waiters.get(thread_id, ()):
            event.set()

    def wake_all(self) -> None:
        """After a reconnect, everyone rereads: wake-ups may have been lost meanwhile."""
        for waiting in self.waiters.values():
            for event in waiting:
                event.set()

    async def _run(self) -> None:
        channel_prefix = f"{self.prefix}thread:"
        while True:
            client = aioredis.Redis.from_url(self.url, socket_connect_timeout=2)
            pubsub = client.pubsub(ignore_subscribe_messages=False)
            try:
                await pubsub.psubscribe(channel_prefix + "*")
                async for message in pubsub.listen():
                    if message["type"] == "psubscribe":
                        self.failing = False
                        self.ready.set()
                        self.wake_all()
                        continue
                    if message["type"] != "pmessage":
                        continue
                    channel = message["channel"]
                    if isinstance(channel, bytes):
                        channel = channel.decode()
                    tail = channel[len(channel_prefix) :]
                    if tail.isdigit():
                        self.wake(int(tail))
            except asyncio.CancelledError:
                raise
            except Exception:
                if not self.failing:  # once per outage, not every retry
                    logger.warning(
                        "Live subscriber lost Redis; readers poll until it is back",
                        exc_info=True,
                    )
                self.failing = True
            finally:
                self.ready.clear()
                try:
                    await pubsub.aclose()
                    await client.aclose()
                except Exception:  # noqa: S110 - the connection is already gone
                    pass
            await asyncio.sleep(RECONNECT_SECONDS)


_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[str, str], _Hub]]" = (
    weakref.WeakKeyDictionary()
)


def _hub() -> _Hub:
    loop = asyncio.get_running_loop()
    key = (settings.REDIS_URL, settings.BROADSHEET_LIVE_CHANNEL_PREFIX)
    per_loop = _hubs.setdefault(loop, {})
    if key not in per_loop:
        per_loop[key] = _Hub(url=key[0], prefix=key[1])
    return per_loop[key]


async def wait_for_events(*, thread_id: int, after_id: int, timeout: float) -> list[dict]:
    """The thread's events after `after_id`, waiting up to `timeout` seconds for one.

    Returns as soon as there are any (an empty list means the time ran out).
    With Redis the wait is for a wake-up from the subscriber; without it, or
    while the subscriber is (re)connecting, the table is polled.
    """
    deadline = time.monotonic() + timeout
    poll = settings.BROADSHEET_LIVE_POLL_SECONDS
    if not settings.REDIS_URL:
        while True:
            events = await _aevents_after(thread_id=thread_id, after_id=after_id)
            remaining = deadline - time.monotonic()
            if events or remaining <= 0:
                return events
            await asyncio.sleep(min(poll, remaining))
    hub = _hub()
    woken = hub.add(thread_id)
    try:
        while True:
            # Registered before reading, so a wake-up between the read and the wait is kept.
            woken.clear()
            events = await _aevents_after_and_release(thread_id=thread_id, after_id=after_id)
            remaining = deadline - time.monotonic()
            if events or remaining <= 0:
                return events
            step = remaining if hub.ready.is_set() else min(poll, remaining)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(woken.wait(), timeout=step)
    finally:
        hub.discard(thread_id, woken)
