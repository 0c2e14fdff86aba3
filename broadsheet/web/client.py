"""What the edge knows of the client: its address (through trusted proxies only) and its viewer."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from broadsheet.accounts import guests
from broadsheet.accounts.viewers import Viewer
from broadsheet.core.addresses import resolve_client_address


def client_address(request: HttpRequest) -> str:
    return resolve_client_address(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR"),
        settings.BROADSHEET_TRUSTED_PROXIES,
    )


def axes_client_address(request: HttpRequest) -> str:
    """django-axes locks out by the same address the rest of the site believes."""
    return client_address(request)


def viewer_for(request: HttpRequest) -> Viewer:
    """The signed-in user, or a guest by the embed's token (EmbedTokenMiddleware) or cookie."""
    user = request.user if request.user.is_authenticated else None
    guest_key = getattr(request, "embed_guest_key", None) or guests.read_guest_token(
        request.COOKIES.get(guests.COOKIE_NAME)
    )
    return Viewer(user=user, guest_key=guest_key)


def ensure_guest_key(request: HttpRequest) -> Viewer:
    """The viewer, given a fresh guest key if it has none; the cookie is set by `remember_guest`."""
    viewer = viewer_for(request)
    if viewer.user is None and viewer.guest_key is None:
        viewer = Viewer(guest_key=guests.new_guest_key())
    return viewer


def remember_guest(response: HttpResponse, viewer: Viewer, *, name: str = "") -> HttpResponse:
    if viewer.user is None and viewer.guest_key:
        guests.set_guest_cookie(response, viewer.guest_key)
    return response
