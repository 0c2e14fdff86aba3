"""Thread events for live readers: written in order, fanned out through Redis, or polled.

The Redis tests use the real server at 127.0.0.1:6379 with a key prefix of
their own; without it they are skipped (and fail when CI is set).
"""

import asyncio
import secrets
import time

import pytest
import redis.asyncio as aioredis
from asgiref.sync import async_to_sync, sync_to_async
from django.test import override_settings

from broadsheet.accounts.viewers import ANONYMOUS, Viewer
from broadsheet.discussion import live
from broadsheet.discussion.models import ThreadEvent
from broadsheet.discussion.services import comment_delete, thread_update
from broadsheet.moderation.intake import edit_comment, submit_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_redis(redis_url):
    """Real Redis, with channels under a prefix no other test (or install) uses."""
    prefix = f"bs-test-{secrets.token_hex(6)}:"
    with override_settings(REDIS_URL=redis_url, BROADSHEET_LIVE_CHANNEL_PREFIX=prefix):
        yield prefix


@pytest.fixture
def without_redis():
    with override_settings(REDIS_URL="", BROADSHEET_LIVE_POLL_SECONDS=0.05):
        yield


def _post(thread, body: str, *, parent_id: int | None = None, viewer: Viewer | None = None):
    return submit_comment(
        thread=thread,
        viewer=viewer or Viewer(guest_key="live-tests"),
        body=body,
        guest_name="Ines Halloran",
        parent_id=parent_id,
    ).comment


def test_announce_writes_events_in_order_for_posts_edits_and_deletes(article, without_redis):
    thread = article.thread
    author = Viewer(guest_key="live-tests")
    first = _post(thread, "The ferry timetable first.", viewer=author)
    reply = _post(thread, "And the market second.", parent_id=first.pk, viewer=author)
    edit_comment(comment_id=first.pk, viewer=author, body="The ferry timetable, revised.")
    comment_delete(comment=reply)

    events = live.events_after(thread_id=thread.pk, after_id=0)
    assert [(e["kind"], e["comment_id"], e["parent_id"]) for e in events] == [
        ("created", first.pk, None),
        ("created", reply.pk, first.pk),
        ("edited", first.pk, None),
        ("removed", reply.pk, first.pk),
    ]
    ids = [e["id"] for e in events]
    assert ids == sorted(ids)
    assert live.events_after(thread_id=thread.pk, after_id=ids[1]) == events[2:]
    assert live.latest_event_id(thread_id=thread.pk) == ids[-1]
    assert live.latest_event_id(thread_id=thread.pk, before=0) == 0


def test_viewers_are_told_only_what_they_may_see(article, guest, without_redis):
    thread = thread_update(thread=article.thread, premoderated=True)
    held = _post(thread, "Held for a moderator.", viewer=guest)
    thread_update(thread=thread, premoderated=False)
    shown = _post(thread, "Published at once.")
    events = live.events_after(thread_id=thread.pk, after_id=0)

    told = live.events_for_viewer(thread_id=thread.pk, events=events, viewer=ANONYMOUS)
    assert [e["comment_id"] for e in told["events"]] == [shown.pk]
    assert told["comment_count"] == 1
    # The author of a held comment is told of it: it shows to them, awaiting moderation.
    told = live.events_for_viewer(thread_id=thread.pk, events=events, viewer=guest)
    assert [e["comment_id"] for e in told["events"]] == [held.pk, shown.pk]


def test_poller_returns_new_events_after_an_id(article, without_redis):
    thread = article.thread
    before = _post(thread, "Already there when the reader connects.")
    start = live.latest_event_id(thread_id=thread.pk)
    assert async_to_sync(live.wait_for_events)(
        thread_id=thread.pk, after_id=0, timeout=5
    ) == live.events_after(thread_id=thread.pk, after_id=0)

    async def scenario() -> tuple[list[dict], float]:
        waiting = asyncio.ensure_future(
            live.wait_for_events(thread_id=thread.pk, after_id=start, timeout=10)
        )
        await asyncio.sleep(0.2)
        assert not waiting.done()
        posted_at = time.monotonic()
        await sync_to_async(_post)(thread, "Arrives while the reader waits.")
        events = await waiting
        return events, time.monotonic() - posted_at

    events, latency = async_to_sync(scenario)()
    assert [e["kind"] for e in events] == ["created"]
    assert events[0]["comment_id"] != before.pk
    assert latency < 2


def test_poller_times_out_with_nothing_new(article, without_redis):
    _post(article.thread, "Nothing after this.")
    after = live.latest_event_id(thread_id=article.thread.pk)
    started = time.monotonic()
    events = async_to_sync(live.wait_for_events)(
        thread_id=article.thread.pk, after_id=after, timeout=0.3
    )
    assert events == []
    assert 0.25 < time.monotonic() - started < 3


def test_publish_with_redis_reaches_an_asyncio_subscriber(
    article, with_redis, redis_url, django_capture_on_commit_callbacks
):
    thread = article.thread

    async def scenario() -> list[dict]:
        client = aioredis.Redis.from_url(redis_url)
        pubsub = client.pubsub()
        try:
            await pubsub.subscribe(live.channel_for(thread.pk))
            confirmed = await pubsub.get_message(timeout=2)
            assert confirmed and confirmed["type"] == "subscribe"

            def post() -> None:
                with django_capture_on_commit_callbacks(execute=True):
                    _post(thread, "Fanned out through Redis.")

            await sync_to_async(post)()
            messages = []
            deadline = time.monotonic() + 5
            while not messages and time.monotonic() < deadline:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
                if message:
                    messages.append(message)
            return messages
        finally:
            await pubsub.aclose()
            await client.aclose()

    messages = async_to_sync(scenario)()
    event = ThreadEvent.objects.get(thread=thread)
    assert [(m["channel"], m["data"]) for m in messages] == [
        (f"{with_redis}thread:{thread.pk}".encode(), str(event.pk).encode())
    ]


def test_wait_with_redis_is_woken_by_publish_not_by_polling(article, with_redis):
    thread = article.thread

    async def scenario() -> tuple[list[dict], float]:
        waiting = asyncio.ensure_future(
            live.wait_for_events(thread_id=thread.pk, after_id=0, timeout=20)
        )
        hub = live._hub()
        await asyncio.wait_for(hub.ready.wait(), timeout=5)
        await asyncio.sleep(0.1)
        assert not waiting.done()
        event = await sync_to_async(ThreadEvent.objects.create)(
            thread_id=thread.pk, kind="created", comment_id=424242, parent_id=None
        )
        published_at = time.monotonic()
        await sync_to_async(live.publish)(thread_id=thread.pk, event_id=event.pk)
        events = await asyncio.wait_for(waiting, timeout=10)
        return events, time.monotonic() - published_at

    # A poll interval longer than the test: only the Redis wake-up can be this quick.
    with override_settings(BROADSHEET_LIVE_POLL_SECONDS=60):
        events, latency = async_to_sync(scenario)()
    assert [e["comment_id"] for e in events] == [424242]
    assert latency < 1.5


def test_publish_never_raises_when_redis_is_down(article, caplog):
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        live.publish(thread_id=article.thread.pk, event_id=1)
    assert "Live fan-out failed" in caplog.text
