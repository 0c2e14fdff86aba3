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
"""

from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.db import close_old_connections
from django.http import HttpRequest, HttpResponseBase


class SyncChainHandler(ASGIHandler):
    def __init__(self) -> None:
        super().__init__()
        self.load_middleware(is_async=False)
        self.threads = ThreadPoolExecutor(
            max_workers=settings.BROADSHEET_VIEW_CONCURRENCY, thread_name_prefix="view"
        )

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        respond = sync_to_async(self._respond, thread_sensitive=False, executor=self.threads)
        return await respond(request)

    def _respond(self, request: HttpRequest) -> HttpResponseBase:
        close_old_connections()
        try:
            return self.get_response(request)
        finally:
            close_old_connections()
