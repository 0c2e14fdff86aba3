"""Live updates over HTTP: the event stream and comment fragments.

The first tests run in-process (Django's test client, short-lived streams).
The rest start two real uvicorn processes on one file-based database: a
comment posted to server A must reach an event-stream reader connected to
server B within seconds, once through database polling and once through
Redis pub/sub, and a reconnecting reader resumes after its Last-Event-ID.
"""

import contextlib
import http.client
import http.cookiejar
import json
import queue
import re
import secrets
import socket
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from django.urls import reverse

from broadsheet.accounts.guests import COOKIE_NAME, sign_guest_key
from broadsheet.accounts.viewers import Viewer
from broadsheet.discussion.models import ThreadStatus
from broadsheet.discussion.services import thread_update
from broadsheet.moderation.intake import submit_comment

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from liveserver import LiveServer, ServerError  # tests/ is not a package

# How quickly a comment posted to one process must reach a reader of the other.
DELIVERY_SECONDS = 5.0

# --------------------------------------------------------------------------- in-process

SHORT_STREAMS = {
    "BROADSHEET_LIVE_STREAM_SECONDS": 0.6,
    "BROADSHEET_LIVE_HEARTBEAT_SECONDS": 0.2,
    "BROADSHEET_LIVE_POLL_SECONDS": 0.05,
    "REDIS_URL": "",
}


def _read(response) -> str:
    """A whole (short-lived) stream; its database reads run in this thread, in the test's
    transaction."""

    async def collect() -> bytes:
        return b"".join([chunk async for chunk in response.streaming_content])

    return async_to_sync(collect)().decode()


def _frames(response) -> list[dict]:
    """The stream's events as dicts."""
    text = _read(response)
    frames = []
    for block in text.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "data" in fields:
            data = json.loads(fields["data"])
            frames.append({"id": int(fields["id"]), "event": fields["event"], **data})
    return frames


@pytest.fixture
def short_streams(settings):
    for name, value in SHORT_STREAMS.items():
        setattr(settings, name, value)


def _post(thread, body: str, *, viewer: Viewer | None = None, parent_id: int | None = None):
    return submit_comment(
        thread=thread,
        viewer=viewer or Viewer(guest_key="stream-tests"),
        body=body,
        guest_name="Ottoline Brask",
        parent_id=parent_id,
    ).comment


@pytest.mark.django_db
def test_stream_sends_events_after_the_given_id_with_headers(client, article, short_streams):
    thread = article.thread
    first = _post(thread, "The first word on the harbour plan.")
    second = _post(thread, "A reply to it.", parent_id=first.pk)
    url = reverse("web:thread-events", args=[thread.pk])

    response = client.get(url, {"after": 0})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    assert response["Cache-Control"] == "no-cache"
    assert response["X-Accel-Buffering"] == "no"
    frames = _frames(response)
    assert [(f["event"], f["comment_id"], f["parent_id"]) for f in frames] == [
        ("created", first.pk, None),
        ("created", second.pk, first.pk),
    ]
    assert frames[-1]["comment_count"] == 2

    # Last-Event-ID (a reconnect) wins over ?after=, and nothing new means only keep-alives.
    response = client.get(url, {"after": 0}, headers={"Last-Event-ID": str(frames[0]["id"])})
    assert [f["comment_id"] for f in _frames(response)] == [second.pk]
    response = client.get(url)
    assert _frames(response) == []


@pytest.mark.django_db
def test_stream_starts_after_the_page_render_time(client, article, short_streams):
    thread = article.thread
    _post(thread, "Before the page was rendered.")
    rendered_at = time.time() + 0.001
    time.sleep(0.01)
    later = _post(thread, "After the page was rendered.")
    response = client.get(
        reverse("web:thread-events", args=[thread.pk]), {"since": f"{rendered_at:.6f}"}
    )
    assert [f["comment_id"] for f in _frames(response)] == [later.pk]


@pytest.mark.django_db
def test_held_comments_are_not_announced_to_others(client, article, short_streams):
    thread = thread_update(thread=article.thread, premoderated=True)
    _post(thread, "Waiting for a moderator.", viewer=Viewer(guest_key="someone"))
    response = client.get(reverse("web:thread-events", args=[thread.pk]), {"after": 0})
    text = _read(response)
    assert "event:" not in text
    assert re.search(r"^id: \d+$", text, re.M), "the resume point still moves past it"


@pytest.mark.django_db
def test_hidden_thread_and_bad_resume_points(client, article, short_streams):
    url = reverse("web:thread-events", args=[article.thread.pk])
    assert client.get(url, {"after": "x"}).status_code == 400
    assert client.get(url, {"since": "nan"}).status_code == 400
    thread_update(thread=article.thread, status=ThreadStatus.HIDDEN)
    assert client.get(url).status_code == 404
    assert client.get(reverse("web:thread-events", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_fragment_renders_one_comment_for_its_viewer(client, article):
    thread = thread_update(thread=article.thread, premoderated=True)
    author = Viewer(guest_key="fragment-author")
    held = _post(thread, "Held, *awaiting* a moderator.", viewer=author)
    url = reverse("web:comment-fragment", args=[held.pk])
    assert client.get(url).status_code == 404

    client.cookies[COOKIE_NAME] = sign_guest_key("fragment-author")
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<li class="comment held" id="c-{held.pk}"')
    assert "awaiting moderation" in html and "<em>awaiting</em>" in html
    assert client.get(reverse("web:comment-fragment", args=[999999])).status_code == 404


# --------------------------------------------------------------------------- two processes


ARTICLE_SCRIPT = """
import json, secrets
from datetime import timedelta
from broadsheet.accounts.models import User
from broadsheet.articles.services import article_save
from broadsheet.core.clock import now
desk = User.objects.create_user(
    f"desk-{secrets.token_hex(3)}@example.com", secrets.token_urlsafe(16),
    display_name="Live Desk", is_staff=True,
)
article = article_save(
    title="Tide tables, live", body="The tide turns at *noon*.", author=desk,
    status="published", published_at=now() - timedelta(hours=1),
)
print("LIVE-FACTS " + json.dumps({"url": article.get_absolute_url(), "thread": article.thread_id}))
"""


@dataclass
class SseReader:
    """Reads an event stream in a thread, bounded in time; events land in a queue."""

    url: str
    last_event_id: str | None = None
    events: "queue.Queue[dict]" = field(default_factory=queue.Queue)
    opened: threading.Event = field(default_factory=threading.Event)
    status: int = 0
    error: BaseException | None = None

    def start(self, *, deadline_seconds: float = 30.0) -> "SseReader":
        parts = urllib.parse.urlsplit(self.url)
        # Heartbeats come every 2 s (the servers' setting), so a 10 s silence is a failure.
        self._conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        self._deadline = time.monotonic() + deadline_seconds
        self._thread = threading.Thread(target=self._run, args=(parts,), daemon=True)
        self._thread.start()
        if not self.opened.wait(10):
            raise AssertionError(f"The stream at {self.url} did not open: {self.error}")
        return self

    def _run(self, parts: urllib.parse.SplitResult) -> None:
        try:
            headers = {"Accept": "text/event-stream"}
            if self.last_event_id:
                headers["Last-Event-ID"] = self.last_event_id
            self._conn.request("GET", f"{parts.path}?{parts.query}", headers=headers)
            response = self._conn.getresponse()
            self.status = response.status
            fields: dict[str, str] = {}
            while time.monotonic() < self._deadline:
                line = response.fp.readline()
                if not line:
                    return
                line = line.decode().rstrip("\r\n")
                if line.startswith(":"):
                    self.opened.set()
                elif not line:
                    if "data" in fields:
                        data = json.loads(fields["data"])
                        self.events.put({**fields, **data, "at": time.monotonic()})
                    fields = {}
                elif ": " in line:
                    name, value = line.split(": ", 1)
                    fields[name] = value
        except (OSError, http.client.HTTPException) as error:
            self.error = error
        finally:
            self.opened.set()

    def wait_for(self, comment_id: int, *, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        seen = []
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                event = self.events.get(timeout=remaining)
            except queue.Empty:
                break
            seen.append(event)
            if event["comment_id"] == comment_id:
                return event
        raise AssertionError(
            f"No event for comment {comment_id} within {timeout}s; saw {seen}, error {self.error}"
        )

    def stop(self) -> None:
        sock = self._conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self._conn.close()
        self._thread.join(timeout=5)


class Guest:
    """A browser-less guest: keeps cookies, gets a CSRF token as the page does, posts the form."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def post_comment(self, base: str, page: str, thread_id: int, body: str, **extra) -> int:
        with self.opener.open(base + page, timeout=10) as response:
            html = response.read().decode()
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if found:
            token = found.group(1)
        else:  # a cached page carries no token: ask for one, as the page's script does
            with self.opener.open(base + "/csrf/", timeout=10) as response:
                token = json.loads(response.read())["token"]
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "body": body, "name": "Ansel Roop", **extra}
        ).encode()
        request = urllib.request.Request(
            f"{base}/threads/{thread_id}/comments/",
            data=data,
            headers={"Accept": "application/json", "Referer": base + page},
        )
        self.posted_at = time.monotonic()
        with self.opener.open(request, timeout=10) as response:
            self.answered_at = time.monotonic()
            assert response.status == 201
            return json.loads(response.read())["id"]


@pytest.fixture(scope="module")
def shared_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, dict]]:
    """One database (SQLite file, or PostgreSQL) with an article; servers started per test."""
    site = LiveServer.create(
        tmp_path_factory.mktemp("two-servers"),
        servers=2,
        env={
            "BROADSHEET_LIVE_HEARTBEAT_SECONDS": "2",
            "BROADSHEET_LIVE_STREAM_SECONDS": "60",
        },
    )
    try:
        site.prepare(demo=False)
        output = site.manage("shell", "-c", ARTICLE_SCRIPT)
        facts = json.loads(output.split("LIVE-FACTS ", 1)[1])
        yield site, facts
    except ServerError as error:
        pytest.fail(f"{error}\n--- server log ---\n{site.log_tail()}", pytrace=False)
    finally:
        site.close()


@pytest.fixture(params=["polling", "redis"])
def two_servers(request, shared_site) -> Iterator[tuple[list[str], dict, str]]:
    site, facts = shared_site
    env = {"REDIS_URL": ""}
    if request.param == "redis":
        env = {
            "REDIS_URL": request.getfixturevalue("redis_url"),
            "BROADSHEET_LIVE_CHANNEL_PREFIX": f"bs-two-{secrets.token_hex(4)}:",
            # Long enough that only a Redis wake-up can deliver within the test's bound.
            "BROADSHEET_LIVE_POLL_SECONDS": "30",
        }
    try:
        urls = site.start(worker=False, env=env)
    except ServerError as error:
        pytest.fail(f"{error}\n--- server log ---\n{site.log_tail()}", pytrace=False)
    try:
        yield urls, facts, request.param
    finally:
        site.stop()


def test_a_comment_posted_to_one_process_reaches_a_reader_of_the_other(two_servers) -> None:
    (server_a, server_b), facts, mode = two_servers
    thread_id = facts["thread"]
    reader = SseReader(f"{server_b}/threads/{thread_id}/events/").start()
    try:
        assert reader.status == 200
        guest = Guest()
        comment_id = guest.post_comment(
            server_a, facts["url"], thread_id, f"Posted to A, read on B ({mode})."
        )
        event = reader.wait_for(comment_id, timeout=DELIVERY_SECONDS)
        print(
            f"\n{mode}: POST answered in {(guest.answered_at - guest.posted_at) * 1000:.0f} ms;"
            f" event on the other process {(event['at'] - guest.posted_at) * 1000:.0f} ms"
            " after the POST was sent"
        )
        assert event["event"] == "created" and event["kind"] == "created"
        assert event["parent_id"] is None
        assert event["comment_count"] >= 1

        # A reply, posted to B this time, reaches the same reader (connected to B) as well.
        reply_id = Guest().post_comment(
            server_b, facts["url"], thread_id, f"A reply via B ({mode}).", parent=comment_id
        )
        reply = reader.wait_for(reply_id, timeout=DELIVERY_SECONDS)
        assert reply["parent_id"] == comment_id
    finally:
        reader.stop()


def test_a_reconnecting_reader_resumes_after_its_last_event_id(two_servers) -> None:
    (server_a, server_b), facts, mode = two_servers
    thread_id = facts["thread"]
    guest = Guest()
    first = guest.post_comment(server_a, facts["url"], thread_id, f"Before the drop ({mode}).")
    reader = SseReader(f"{server_b}/threads/{thread_id}/events/?after=0").start()
    try:
        seen = reader.wait_for(first, timeout=DELIVERY_SECONDS)
    finally:
        reader.stop()
    # While the reader is away, two more comments arrive.
    missed = [
        guest.post_comment(server_a, facts["url"], thread_id, f"Missed {n} ({mode}).")
        for n in (1, 2)
    ]
    again = SseReader(f"{server_a}/threads/{thread_id}/events/", last_event_id=seen["id"]).start()
    try:
        got = [again.wait_for(missed[0], timeout=DELIVERY_SECONDS)]
        got.append(again.wait_for(missed[1], timeout=DELIVERY_SECONDS))
        assert [int(e["id"]) for e in got] == sorted(int(e["id"]) for e in got)
        assert all(int(e["id"]) > int(seen["id"]) for e in got)
    finally:
        again.stop()
