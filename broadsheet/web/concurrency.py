"""At most N requests per process run Django's view code at once; the rest wait on the loop.

Under Django's ASGI handler every request ran its (synchronous) view in a thread
of its own, so 16 connections meant up to 16 renders interleaving under one GIL:
no faster than a few at a time, each slower, and each holding its memory (a
whole 10,000-comment page or JSON reply) until it finished. (Our handler,
web/handler.py, runs views on N kept threads; the gate also keeps requests that
wait for one on the loop, not queued in the pool.) The gate counts from
the moment the request's body has arrived (Django reads it before the view;
a slow upload holds no place) until the response starts (the view is done; a
slow download or a live-update stream holds no place either).

Anonymous article pages pass (`fast_pages.shared_page`): their renders are
already one at a time per page (the page cache's render lock,
`web/page_cache.py`), and a reader who finds the lock taken is answered with
the stored page at once, which a queue here would only delay. A signed-in
reader's page, rendered for them alone, waits its turn like any other view.
"""

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from .fast_pages import ASGIApp, Scope, shared_page

Message = MutableMapping[str, Any]


class ViewConcurrency:
    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.gate = asyncio.Semaphore(limit)

    async def __call__(
        self,
        scope: Scope,
        receive: Callable[[], Awaitable[Message]],
        send: Callable[[Message], Awaitable],
    ) -> None:
        if scope["type"] != "http" or shared_page(scope) is not None:
            await self.app(scope, receive, send)
            return
        held = False

        async def gated_receive() -> Message:
            nonlocal held
            message = await receive()
            if not held and message["type"] == "http.request" and not message.get("more_body"):
                await self.gate.acquire()
                held = True
            return message

        async def releasing_send(message: Message) -> None:
            nonlocal held
            if held and message["type"] == "http.response.start":
                held = False
                self.gate.release()
            await send(message)

        try:
            await self.app(scope, gated_receive, releasing_send)
        finally:
            if held:
                self.gate.release()
