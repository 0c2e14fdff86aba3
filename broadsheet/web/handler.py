"""Django's ASGI handler with its middleware chain run synchronously, in one thread hop.

Django's own ASGI handler builds the chain for async use. Our middleware is
synchronous (Django's MiddlewareMixin ones, ours, WhiteNoise), so a request
crossed between the event loop and its worker thread at every boundary between
sync and async middleware and again for each MiddlewareMixin hook run in async
mode: six or seven hops a request, measured as most of a plain view's cost.
Here the whole chain (middleware, view) runs in one call in the request's
thread. Async views still work: Django's sync path runs them with async_to_sync
(the live-update stream returns its response at once; the server streams it).
"""

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest, HttpResponseBase


class SyncChainHandler(ASGIHandler):
    def __init__(self) -> None:
        super().__init__()
        self.load_middleware(is_async=False)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)
