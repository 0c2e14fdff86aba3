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
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified

PAGE_TTL_SECONDS = 30
_STATEFUL_COOKIES = ("bs_guest", "bs_sort", "bs_name")


def is_stateless(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    stateful = (
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        "messages",
        *_STATEFUL_COOKIES,
    )
    return request.method in ("GET", "HEAD") and not any(name in cookies for name in stateful)


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


def cached(key: str) -> HttpResponse | None:
    content = cache.get(key)
    if content is None:
        return None
    response = HttpResponse(content)
    response["X-Page-Cache"] = "hit"
    _shared_headers(response, etag_for(key))
    return response


def store(key: str, response: HttpResponse) -> HttpResponse:
    if response.status_code == 200:
        cache.set(key, response.content, PAGE_TTL_SECONDS)
        response["X-Page-Cache"] = "miss"
        _shared_headers(response, etag_for(key))
    return response


def _shared_headers(response: HttpResponse, etag: str) -> None:
    response["ETag"] = etag
    # Shared caches may keep it briefly; browsers revalidate with the ETag.
    response["Cache-Control"] = "public, max-age=0, s-maxage=1, must-revalidate"
