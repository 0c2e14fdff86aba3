"""The guest's signed browser token.

A guest gets a random key when they first post; the browser keeps it signed
in a cookie. It proves "the same browser" for editing one's own comment and
keys guest votes. Only a hash of the key is stored with comments.
"""

import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.http import HttpResponse

COOKIE_NAME = "bs_guest"
_SALT = "broadsheet.accounts.guest"
MAX_AGE_SECONDS = 60 * 60 * 24 * 365


def new_guest_key() -> str:
    return secrets.token_urlsafe(24)


def sign_guest_key(key: str) -> str:
    return signing.dumps(key, salt=_SALT, compress=False)


def read_guest_token(token: str | None) -> str | None:
    """The key inside a token, or None when the token is absent, forged or expired."""
    if not token:
        return None
    try:
        key = signing.loads(token, salt=_SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    return key if isinstance(key, str) else None


def set_guest_cookie(response: HttpResponse, key: str) -> None:
    """The one way the guest's cookie is written, by the pages and the API alike."""
    response.set_cookie(
        COOKIE_NAME,
        sign_guest_key(key),
        max_age=MAX_AGE_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def guest_key_hash(key: str) -> str:
    return hashlib.sha256(f"{_SALT}:{key}".encode()).hexdigest()[:40]
