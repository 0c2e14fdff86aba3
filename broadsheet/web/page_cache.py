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
time a render takes (well under a second: the bound the proxy's microcache
documents anyway). A reader who comes after the render sees the new version.
"""

import gzip
import hashlib
from functools import cache as cache_result

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified

PAGE_TTL_SECONDS = 30
# A render that takes longer than this (or a process that died rendering) frees the lock.
RENDER_LOCK_SECONDS = 10
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


def latest(request: HttpRequest, page: str) -> HttpResponse | None:
    """The newest stored version of `page`, whatever its revision (see the module doc)."""
    key = cache.get(f"page-latest:{page}")
    response = cached(request, key) if key else None
    if response is not None:
        response["X-Page-Cache"] = "stale"
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


def store(request: HttpRequest, key: str, response: HttpResponse, *, page: str) -> HttpResponse:
    """Keeps the page gzipped: a 300-comment page shrinks about eightfold, and a hit
    then costs the cache a small value and the process no compression. The reader who
    rendered it gets those bytes too when they take gzip, like every later reader."""
    if response.status_code == 200:
        compressed = gzip.compress(response.content, compresslevel=6, mtime=0)
        cache.set(key, compressed, PAGE_TTL_SECONDS)
        cache.set(f"page-latest:{page}", key, PAGE_TTL_SECONDS)
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
