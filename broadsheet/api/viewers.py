"""Who calls the API: an API token's owner, the session user, or a guest known by `bs_guest`.

The same guest cookie the pages set (accounts.guests), so a guest who commented
on a page can edit or vote through the API from the same browser, and back.

A request with `Authorization: Bearer <token>` is its token's owner and
nothing else: a bad or revoked token is a 401 (never a fall back to the
session or to a guest), and it needs no CSRF token, since a browser never
sends it on its own. A read-scoped token may only make GET requests.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja.security import HttpBearer, SessionAuth

from broadsheet.accounts import guests
from broadsheet.accounts.models import ApiToken, TokenScope
from broadsheet.accounts.services import token_authenticate
from broadsheet.accounts.viewers import Viewer
from broadsheet.core.addresses import resolve_client_address
from broadsheet.core.errors import Forbidden, Unauthenticated

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_TOKEN_ATTR = "_broadsheet_api_token"  # noqa: S105 (an attribute name)


def client_address(request: HttpRequest) -> str:
    return resolve_client_address(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR"),
        settings.BROADSHEET_TRUSTED_PROXIES,
    )


def _bearer(request: HttpRequest) -> str | None:
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else None


def request_token(request: HttpRequest) -> ApiToken | None:
    """The API token the request carries (checked once per request); None when it carries none."""
    if not hasattr(request, _TOKEN_ATTR):
        plaintext = _bearer(request)
        token = None if plaintext is None else token_authenticate(plaintext=plaintext)
        setattr(request, _TOKEN_ATTR, token)
    return getattr(request, _TOKEN_ATTR)


def viewer_for(request: HttpRequest) -> Viewer:
    """For reads: a token's owner, the signed-in user, a guest with a valid token, or anyone."""
    token = request_token(request)
    if token is not None:
        return Viewer(user=token.user)
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        return Viewer(user=user)
    return Viewer(guest_key=guests.read_guest_token(request.COOKIES.get(guests.COOKIE_NAME)))


def member_for(request: HttpRequest) -> Viewer:
    """For what only a member has (their data, the queue): 401 for guests and anonymous callers."""
    viewer = viewer_for(request)
    if viewer.user is None:
        raise Unauthenticated("Sign in, or send an API token.")
    return viewer


class TokenAuth(HttpBearer):
    """Server-to-server calls: `Authorization: Bearer bst_…`, no CSRF, scoped read or write."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = request_token(request)
        if api_token is None:  # a bearer header with no token at all
            raise Unauthenticated("The API token is not valid.", code="token_invalid")
        if api_token.scope != TokenScope.WRITE and request.method not in SAFE_METHODS:
            raise Forbidden(
                "This token can only read; make a read-and-write token to change things.",
                code="token_read_only",
            )
        return Viewer(user=api_token.user)


class BrowserAuth(SessionAuth):
    """Writes from a browser: CSRF is enforced (by SessionAuth) for users and guests alike.

    Never refuses: a signed-in user acts as themselves; anyone else acts as a
    guest, with a fresh guest key when they bring none (`remember_guest` sets it).
    """

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        viewer = viewer_for(request)
        if viewer.user is None and viewer.guest_key is None:
            viewer = Viewer(guest_key=guests.new_guest_key())
        return viewer


def remember_guest(request: HttpRequest, response: HttpResponse, viewer: Viewer) -> None:
    """Issues the signed guest cookie when this request gave the guest a new key."""
    if viewer.user is not None or not viewer.guest_key:
        return
    if guests.read_guest_token(request.COOKIES.get(guests.COOKIE_NAME)) == viewer.guest_key:
        return
    guests.set_guest_cookie(response, viewer.guest_key)


def any_reader(request: HttpRequest) -> Viewer:
    """Reads: anyone (after TokenAuth, which answers for a request with a bearer token)."""
    return viewer_for(request)


def any_member(request: HttpRequest) -> Viewer:
    """Reads only a member has (their data, the queue): 401 for guests and anonymous callers."""
    return member_for(request)
