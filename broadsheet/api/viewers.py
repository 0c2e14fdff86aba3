"""Who calls the API: the session user, or a guest known by the signed `bs_guest` cookie.

The same cookie the pages set (accounts.guests), so a guest who commented on a
page can edit or vote through the API from the same browser, and back.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja.security import SessionAuth

from broadsheet.accounts import guests
from broadsheet.accounts.viewers import Viewer
from broadsheet.core.addresses import resolve_client_address


def client_address(request: HttpRequest) -> str:
    return resolve_client_address(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR"),
        settings.BROADSHEET_TRUSTED_PROXIES,
    )


def viewer_for(request: HttpRequest) -> Viewer:
    """For reads: the signed-in user, a guest with a valid token, or an anonymous reader."""
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        return Viewer(user=user)
    return Viewer(guest_key=guests.read_guest_token(request.COOKIES.get(guests.COOKIE_NAME)))


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
    response.set_cookie(
        guests.COOKIE_NAME,
        guests.sign_guest_key(viewer.guest_key),
        max_age=guests.MAX_AGE_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
