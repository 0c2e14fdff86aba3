"""Django's ASGI handler with the middleware chain run in one thread hop (web/handler.py)."""

import asyncio
import threading
from inspect import iscoroutinefunction

import pytest
from asgiref.sync import sync_to_async
from django.db import connection
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.test import override_settings
from django.urls import path

from broadsheet.web.handler import SyncChainHandler

seen: dict[str, int] = {}


class RecordingMiddleware:
    """Notes the thread the chain runs in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seen["middleware"] = threading.get_ident()
        return self.get_response(request)


def view(request: HttpRequest) -> HttpResponse:
    seen["view"] = threading.get_ident()
    return HttpResponse("answered")


async def async_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("answered by a coroutine")


def query_view(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    connections_seen.append((threading.get_ident(), id(connection.connection)))
    return HttpResponse("queried")


connections_seen: list[tuple[int, int]] = []


async def stream_view(request: HttpRequest) -> StreamingHttpResponse:
    async def chunks():
        # As the live-update stream reads the database between events.
        streamed.append(await sync_to_async(threading.get_ident)())
        yield b"event"

    return StreamingHttpResponse(chunks())


streamed: list[int] = []

urlpatterns = [
    path("sync/", view),
    path("async/", async_view),
    path("query/", query_view),
    path("stream/", stream_view),
]


def call(handler: SyncChainHandler, url: str) -> list[dict]:
    sent: list[dict] = []
    messages = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():
        if messages:
            return messages.pop(0)
        await asyncio.Event().wait()  # the client stays connected

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": url, "raw_path": url.encode(), "query_string": b"",
        "root_path": "", "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 5000), "server": ("testserver", 80),
    }  # fmt: skip
    asyncio.run(handler(scope, receive, send))
    return sent


@override_settings(
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[
        "django.middleware.common.CommonMiddleware",
        f"{__name__}.RecordingMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
    ALLOWED_HOSTS=["testserver"],
)
def test_the_middleware_and_the_view_run_as_one_synchronous_call_in_one_thread():
    handler = SyncChainHandler()
    assert not iscoroutinefunction(handler._middleware_chain)

    sent = call(handler, "/sync/")

    start, body = sent[0], sent[1]
    assert start["status"] == 200
    assert (b"X-Frame-Options", b"DENY") in start["headers"]  # the chain ran around the view
    assert body["body"] == b"answered"
    assert seen["middleware"] == seen["view"] != threading.get_ident()


@override_settings(ROOT_URLCONF=__name__, MIDDLEWARE=[], ALLOWED_HOSTS=["testserver"])
def test_an_async_view_still_answers_through_the_synchronous_chain():
    sent = call(SyncChainHandler(), "/async/")

    assert sent[0]["status"] == 200
    assert sent[1]["body"] == b"answered by a coroutine"


@pytest.mark.django_db(transaction=True)
@override_settings(
    ROOT_URLCONF=__name__, MIDDLEWARE=[], ALLOWED_HOSTS=["testserver"],
    BROADSHEET_VIEW_CONCURRENCY=1,
)  # fmt: skip
def test_requests_run_on_kept_threads_that_keep_their_sqlite_connection():
    handler = SyncChainHandler()
    connections_seen.clear()
    for _ in range(3):
        assert call(handler, "/query/")[0]["status"] == 200
    threads = {thread for thread, _ in connections_seen}
    assert len(threads) == 1 and threading.get_ident() not in threads
    if connection.vendor == "sqlite":  # PostgreSQL hands its connection back to the pool
        assert len({conn for _, conn in connections_seen}) == 1


@override_settings(
    ROOT_URLCONF=__name__, MIDDLEWARE=[], ALLOWED_HOSTS=["testserver"],
    BROADSHEET_VIEW_CONCURRENCY=1,
)  # fmt: skip
def test_request_signals_and_the_close_run_on_the_kept_thread_not_a_new_one():
    from django.core import signals

    threads: dict[str, set[int]] = {"started": set(), "finished": set()}

    def started(**kwargs) -> None:
        threads["started"].add(threading.get_ident())

    def finished(**kwargs) -> None:
        threads["finished"].add(threading.get_ident())

    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    try:
        handler = SyncChainHandler()
        for _ in range(3):
            assert call(handler, "/sync/")[0]["status"] == 200
    finally:
        signals.request_started.disconnect(started)
        signals.request_finished.disconnect(finished)
    assert threads["started"] == threads["finished"] == {seen["view"]}


@override_settings(ROOT_URLCONF=__name__, MIDDLEWARE=[], ALLOWED_HOSTS=["testserver"])
def test_a_stream_is_closed_in_the_thread_its_database_work_ran_in():
    from django.core import signals

    finished: list[int] = []

    def record(**kwargs) -> None:
        finished.append(threading.get_ident())

    streamed.clear()
    signals.request_finished.connect(record)
    try:
        sent = call(SyncChainHandler(), "/stream/")
    finally:
        signals.request_finished.disconnect(record)
    assert sent[0]["status"] == 200 and b"event" in b"".join(m.get("body", b"") for m in sent)
    # Django's request_finished closes that thread's connections (PostgreSQL's pool gets
    # them back); closed anywhere else, a stream's connection would never be returned.
    assert finished == streamed and len(streamed) == 1
