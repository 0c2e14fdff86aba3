"""Django's ASGI handler with its middleware chain run synchronously, in one thread hop.

Django's own ASGI handler builds the chain for async use. Our middleware is
synchronous (Django's MiddlewareMixin ones, ours, WhiteNoise), so a request
crossed between the event loop and its worker thread at every boundary between
sync and async middleware and again for each MiddlewareMixin hook run in async
mode: six or seven hops a request, measured as most of a plain view's cost.
Here the whole chain (middleware, view) runs in one call in the request's
thread. Async views still work: Django's sync path runs them with async_to_sync
(the live-update stream returns its response at once; the server streams it).

The chain runs in a fixed pool of threads, one per request the process serves at
once (BROADSHEET_VIEW_CONCURRENCY, the gate in web/concurrency.py), not in a new
thread per request as Django's thread-sensitive mode does. A database connection
belongs to its thread, so a new thread meant a new connection for every request;
on SQLite, opening one reads and parses the whole schema, about a millisecond,
and starts with an empty page cache. Kept threads keep their connections, which
are checked here before and after each request as Django's request signals would
(they run in another thread under ASGI): CONN_MAX_AGE and CONN_HEALTH_CHECKS
decide (config/settings/base.py: SQLite keeps its connection; PostgreSQL hands
its back to the pool).

The request signals and the response's close run in those threads too. Django's
handler sends them through thread-sensitive sync_to_async, which under its per-request
ThreadSensitiveContext starts a thread for each request and joins it at the end (a
tenth of a post's Python time, by py-spy); the receivers (connection and cache
housekeeping) belong with the request's connections anyway. A streaming response is
closed Django's way: its iterator's database work ran in that per-request thread.
"""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.db import close_old_connections
from django.http import HttpRequest, HttpResponseBase
from django.urls import set_script_prefix


class SyncChainHandler(ASGIHandler):
    def __init__(self) -> None:
        super().__init__()
        self.load_middleware(is_async=False)
        self.threads = ThreadPoolExecutor(
            max_workers=settings.BROADSHEET_VIEW_CONCURRENCY, thread_name_prefix="view"
        )

    async def handle(self, scope: dict, receive: Callable, send: Callable) -> None:
        """Django's ASGIHandler.handle, with the request signals and the response's close
        run in the kept threads rather than in a new thread per request."""
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        with closing(body_file):
            set_script_prefix(get_script_prefix(scope))
            await self._in_thread(signals.request_started.send, sender=self.__class__, scope=scope)
            request, error_response = self.create_request(scope, body_file)
            if request is None:
                await self.send_response(error_response, send)
                await self._in_thread(error_response.close)
                return

            class RequestProcessed(Exception):
                pass

            response = None
            try:
                try:
                    async with asyncio.TaskGroup() as tasks:
                        tasks.create_task(self.listen_for_disconnect(receive))
                        response = await self.run_get_response(request)
                        await self.send_response(response, send)
                        raise RequestProcessed
                except* (RequestProcessed, RequestAborted):
                    pass
            except BaseExceptionGroup as group:
                if len(group.exceptions) == 1:
                    raise group.exceptions[0] from None
                raise
            if response is None:
                await self._in_thread(signals.request_finished.send, sender=self.__class__)
            elif response.streaming:
                # A stream's database work (the live-update stream's reads) ran in the
                # request's thread-sensitive thread; its close hands those connections back
                # there, as Django does.
                await sync_to_async(response.close)()
            else:
                await self._in_thread(response.close)

    async def _in_thread(self, function: Callable, *args: Any, **kwargs: Any) -> Any:
        call = sync_to_async(function, thread_sensitive=False, executor=self.threads)
        return await call(*args, **kwargs)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        return await self._in_thread(self._respond, request)

    def _respond(self, request: HttpRequest) -> HttpResponseBase:
        close_old_connections()
        try:
            return self.get_response(request)
        finally:
            close_old_connections()
