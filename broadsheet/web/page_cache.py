"""The shared cache of anonymous article pages.

A reader who carries no state (no session, guest token, CSRF or sort cookie)
gets the same first page as every other such reader, so it is rendered once
per article revision and sort and then served from the cache: Redis or the
database cache, shared by every app process. The key holds the thread's
version, which every post, edit, deletion and moderation decision bumps, so
the next read after a change is fresh. Votes don't bump it: tallies on a
cached page lag by at most PAGE_TTL_SECONDS.

Such pages carry nothing per visitor: no CSRF token (the page's script asks
for one before the first post), no Set-Cookie, no Vary: Cookie.

Under a flood of posts every read would find a new version and render it. So
one render per page is in flight at a time (a lock in the shared cache); while
it runs, other readers get the latest stored version, stale by at most the
time a render takes. A reader who comes after the render sees the new version.

That alone still renders back to back while posts arrive faster than renders
finish: a 10,000-comment page took a core for its renders at 50 posts/s, and
the posts and the readers shared the other. So once the stored page is
FLOOD_CHANGES or more versions behind, it is served until HOLD_RENDERS times
its own render time has passed since it was stored (at most MAX_HOLD_SECONDS),
and only then rendered again: a page's renders then take at most about a fifth
of a core, whatever its size or the rate of posts. Stale by at most
MAX_HOLD_SECONDS and two renders: under a second, the bound the proxy's
microcache documents anyway. One change, or two, is still seen by the next
reader; live updates bring new comments to open pages meanwhile.
"""

import gzip
import hashlib
import time
from functools import cache as cache_result
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified

PAGE_TTL_SECONDS = 30
# A render that takes longer than this (or a process that died rendering) frees the lock.
RENDER_LOCK_SECONDS = 10
FLOOD_CHANGES = 3
HOLD_RENDERS = 4
MAX_HOLD_SECONDS = 0.5
_STATEFUL_COOKIES = ("bs_guest", "bs_sort", "bs_name")


@cache_result
def stateful_cookies() -> frozenset[str]:
    """Cookies that make a reader's page their own: any of them, and no shared page."""
    return frozenset(
        (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "messages", *_STATEFUL_COOKIES)
    )


def is_stateless(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") and stateful_cookies().isdisjoint(request.COOKIES)


def page_key(revision: str, variant: str) -> str:
    digest = hashlib.sha256(f"{revision}|{variant}".encode()).hexdigest()[:32]
    return f"page:{digest}"


def etag_for(key: str) -> str:
    return f'W/"{key.removeprefix("page:")}"'


def not_modified(request: HttpRequest, etag: str) -> HttpResponse | None:
    if etag in (tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")):
        response = HttpResponseNotModified()
        _shared_headers(response, etag)
        return response
    return None


def render_lock_key(page: str) -> str:
    return f"page-render:{page}"


def render_claim(page: str) -> bool:
    """True for the one reader who may render `page` now; False while another does."""
    return cache.add(render_lock_key(page), 1, RENDER_LOCK_SECONDS)


def render_done(page: str) -> None:
    cache.delete(render_lock_key(page))


class Stored(NamedTuple):
    """The newest stored version of a page, whatever its revision."""

    key: str
    version: int  # the thread's version it shows
    at: float  # when it was stored (time.time())
    render_seconds: float


def _latest_key(page: str) -> str:
    return f"page-latest:{page}"


def hold_key(page: str) -> str:
    """Holds the time until which readers of `page` get its latest version (web/fast_pages.py)."""
    return f"page-hold:{page}"


def latest(request: HttpRequest, stored: Stored | None) -> HttpResponse | None:
    """The newest stored version of a page, whatever its revision (see the module doc)."""
    response = cached(request, stored.key) if stored else None
    if response is not None:
        response["X-Page-Cache"] = "stale"
    return response


class RenderState(NamedTuple):
    stored: Stored | None
    hold_until: float  # as the fast path sees it (0: no hold)
    rendering: bool  # another reader holds the render lock


def render_state(page: str) -> RenderState:
    """What a reader who missed the current version needs, in one read: with SQLite's
    IMMEDIATE transactions every cache write waits for posts' write lock, so readers
    write only when they must (the render lock, a new hold)."""
    keys = (_latest_key(page), hold_key(page), render_lock_key(page))
    found = cache.get_many(keys)
    return RenderState(found.get(keys[0]), found.get(keys[1], 0.0), keys[2] in found)


def held(
    request: HttpRequest, version: int, state: RenderState, *, page: str
) -> HttpResponse | None:
    """The latest stored version while a flood of changes holds renders back (module doc);
    None when the page may be rendered now. Leaves the hold's end where the fast path looks."""
    stored = state.stored
    if stored is None or version - stored.version < FLOOD_CHANGES:
        return None
    until = stored.at + min(HOLD_RENDERS * stored.render_seconds, MAX_HOLD_SECONDS)
    if time.time() >= until:
        return None
    response = latest(request, stored)
    if response is not None and state.hold_until != until:
        cache.set(hold_key(page), until, 1 + MAX_HOLD_SECONDS)
    return response


def cached(request: HttpRequest, key: str) -> HttpResponse | None:
    """The stored page, gzipped as stored when the client takes gzip (nearly all do)."""
    compressed = cache.get(key)
    if compressed is None:
        return None
    if _takes_gzip(request):
        response = HttpResponse(compressed)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(compressed))
    response["X-Page-Cache"] = "hit"
    _shared_headers(response, etag_for(key))
    return response


def store(
    request: HttpRequest, key: str, response: HttpResponse, *, page: str, version: int,
    started: float,
) -> HttpResponse:  # fmt: skip
    """Keeps the page gzipped: a 300-comment page shrinks about eightfold, and a hit
    then costs the cache a small value and the process no compression. The reader who
    rendered it gets those bytes too when they take gzip, like every later reader.
    `started` is the render's start (time.time()), `version` the thread's as it read it."""
    if response.status_code == 200:
        compressed = gzip.compress(response.content, compresslevel=6, mtime=0)
        cache.set(key, compressed, PAGE_TTL_SECONDS)
        done = time.time()
        stored = Stored(key, version, done, done - started)
        cache.set(_latest_key(page), stored, PAGE_TTL_SECONDS)
        if _takes_gzip(request):
            response.content = compressed
            response["Content-Encoding"] = "gzip"
        response["X-Page-Cache"] = "miss"
        _shared_headers(response, etag_for(key))
    return response


def _takes_gzip(request: HttpRequest) -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "")


def _shared_headers(response: HttpResponse, etag: str) -> None:
    response["ETag"] = etag
    # Shared caches may keep it briefly; browsers revalidate with the ETag.
    response["Cache-Control"] = "public, max-age=0, s-maxage=1, must-revalidate"
    response["Vary"] = "Accept-Encoding"
