"""Cached anonymous article pages, answered before Django sees the request.

A stateless reader's first page of an article (page_cache.py) is the same bytes
for everyone until its thread's stamp changes (discussion/stamps.py). Once the
page view has stored such a page it also leaves a small entry, `(thread, stamp,
page key)`; this ASGI layer, wrapped around Django's application, answers a later
request for that page from two cache reads (the entry, then the stamp and the
page together) when the stamp still matches, skipping middleware, URL routing and
the view. While a newer version is being rendered it answers with this one, as the
view does then ("stale", by at most one render). Anything else (cookies, another
page number, no gzip, a conditional GET, a changed stamp and no render under way, a
missing entry) goes to Django as before.

The answer repeats the headers Django itself sent for such a page on the same
scheme and host, recorded from its responses as they pass, so security headers,
redirects to HTTPS and host checks stay Django's: a host Django never answered
is never answered here.
"""

import asyncio
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.base import BaseCache

from broadsheet.discussion.sorts import CommentSort
from broadsheet.discussion.stamps import stamp_key

from . import page_cache

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable, Callable], Awaitable[None]]

ARTICLE_PATH = re.compile(r"^/articles/([-a-zA-Z0-9_]+)/$")
# Headers that differ per answer: set here, never copied from a recorded response.
_OWN_HEADERS = {b"content-length", b"etag", b"x-page-cache", b"date", b"server"}
_MAX_SHAPES = 32


def entry_key(slug: str, sort: str) -> str:
    return f"fast-page:{slug}:{sort}"


def remember(
    *, slug: str, sort: str, thread_id: int, stamp: str | None, key: str, page: str
) -> None:
    """Called by the page view once `key` holds the page as of `stamp` (read before its rows;
    None when the page was already outdated: then it is answered only while a newer one
    renders). `page` names its render lock (page_cache.render_claim)."""
    entry = (thread_id, stamp, key, page)
    cache.set(entry_key(slug, sort), entry, page_cache.PAGE_TTL_SECONDS)


def lookup(slug: str, sort: str, store: BaseCache = cache) -> tuple[str, bytes, bytes] | None:
    """(ETag, gzipped page, "fast" or "stale") while the page is current, or while a newer
    one is being rendered or held back (as the view serves it then, page_cache.py); None
    sends the request to Django."""
    entry = store.get(entry_key(slug, sort))
    if entry is None:
        return None
    thread_id, stamp, key, page = entry
    lock, hold = page_cache.render_lock_key(page), page_cache.hold_key(page)
    found = store.get_many([stamp_key(thread_id), key, lock, hold])
    body = found.get(key)
    if body is None:
        return None
    if stamp is not None and found.get(stamp_key(thread_id)) == stamp:
        return page_cache.etag_for(key), body, b"fast"
    if lock in found or found.get(hold, 0) > time.time():
        return page_cache.etag_for(key), body, b"stale"
    return None


def shared_page(scope: Scope) -> tuple[str, str, tuple] | None:
    """(slug, sort, shape) of a request the cache may answer; None for any other."""
    if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
        return None
    match = ARTICLE_PATH.match(scope["path"])
    if match is None:
        return None
    query = scope.get("query_string", b"").decode("latin-1")
    if query and not (query.startswith("sort=") and query[5:] in CommentSort.values):
        return None
    sort = CommentSort.parse(query[5:] or None)
    host = forwarded = b""
    gzip = False
    for name, value in scope["headers"]:
        if name == b"cookie":
            names = {part.split(b"=", 1)[0].strip().decode("latin-1") for part in value.split(b";")}
            if names & page_cache.stateful_cookies():
                return None
        elif name == b"accept-encoding":
            gzip = b"gzip" in value
        elif name == b"if-none-match":
            return None
        elif name == b"host":
            host = value
        elif name == b"x-forwarded-proto":
            forwarded = value
    if not gzip:
        return None
    return match.group(1), str(sort), (scope.get("scheme", "http"), host, forwarded)


class FastPages:
    """The ASGI layer (config/asgi.py): cached pages first, Django for everything else."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # The database cache goes through the ORM, which may not run on the event loop: it
        # is read in a worker thread (each keeps its own connection). Redis is read here,
        # on the loop, through one backend kept for the process (`cache` is per request
        # context under ASGI; core/redis_cache.py).
        backend = settings.CACHES["default"]["BACKEND"]
        self.store = caches.create_connection("default") if backend.endswith("RedisCache") else None
        self.shapes: dict[tuple, list[tuple[bytes, bytes]]] = {}

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        request = shared_page(scope)
        if request is None:
            await self.app(scope, receive, send)
            return
        slug, sort, shape = request
        headers = self.shapes.get(shape)
        if headers is not None:
            if self.store is None:
                found = await asyncio.to_thread(lookup, slug, sort)
            else:
                found = lookup(slug, sort, self.store)
            if found is not None:
                await self._answer(scope, send, headers, *found)
                return
        await self.app(scope, receive, self._recorder(shape, send))

    def _recorder(self, shape: tuple, send: Callable) -> Callable:
        """Keeps the headers of Django's answer with a cached page, for this request shape."""

        async def recording_send(message: dict) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = [(k.lower(), v) for k, v in message.get("headers", ())]
                names = dict(headers)
                # A stored page as Django answers it: a hit, or the latest version served
                # while a newer one renders or is held back (under a stream of posts a
                # process may see no hit at all, and then learned no shape).
                cached_page = names.get(b"x-page-cache") in (b"hit", b"stale")
                room = len(self.shapes) < _MAX_SHAPES or shape in self.shapes
                if cached_page and names.get(b"content-encoding") == b"gzip" and room:
                    self.shapes[shape] = [h for h in headers if h[0] not in _OWN_HEADERS]
            await send(message)

        return recording_send

    @staticmethod
    async def _answer(
        scope: Scope, send: Callable, headers: list, etag: str, body: bytes, state: bytes
    ) -> None:
        own = [
            (b"content-length", str(len(body)).encode()),
            (b"etag", etag.encode()),
            (b"x-page-cache", state),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers + own})
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )
