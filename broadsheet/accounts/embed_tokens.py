"""The token the embedded discussion carries instead of cookies.

Inside another site's page the browser may keep no cookies for us (third-party
cookies blocked), so the embed's script holds a signed token and sends it in a
request header. It names a guest key (the same key the guest cookie holds) or a
signed-in user; a user's token also carries a digest of their password hash, so
changing the password ends every token, as it ends sessions. A header is never
sent by the browser on its own, so a request carrying one is not a forgery.
"""

import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core import signing
from django.utils.crypto import constant_time_compare

from .models import User

HEADER = "X-Broadsheet-Embed"
_SALT = "broadsheet.accounts.embed"
USER_MAX_AGE_SECONDS = 60 * 60 * 24 * 14
GUEST_MAX_AGE_SECONDS = 60 * 60 * 24 * 365


@dataclass(frozen=True)
class EmbedIdentity:
    user: User | None = None
    guest_key: str | None = None


def _digest(user: User) -> str:
    return user.get_session_auth_hash()[:16]


def sign_user(user: User) -> str:
    expires = int(time.time()) + USER_MAX_AGE_SECONDS
    return signing.dumps({"u": user.pk, "h": _digest(user), "x": expires}, salt=_SALT)


def sign_guest(guest_key: str) -> str:
    return signing.dumps({"g": guest_key}, salt=_SALT)


def read_token(token: str) -> EmbedIdentity | None:
    """Who the token names; None when it is forged, expired, or its user can no longer sign in."""
    try:
        data = signing.loads(token[:500], salt=_SALT, max_age=GUEST_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("g"), str):
        return EmbedIdentity(guest_key=data["g"])
    if not isinstance(data.get("u"), int) or not isinstance(data.get("x"), int):
        return None
    if data["x"] < time.time():
        return None
    user = get_user_model().objects.filter(pk=data["u"], is_active=True).first()
    if user is None or not constant_time_compare(_digest(user), str(data.get("h", ""))):
        return None
    return EmbedIdentity(user=user)
