"""Signed links that prove someone reads a mailbox: e-mail verification and e-mail change.

A token is `django.core.signing` over (user id, address, fingerprint). The
fingerprint is an HMAC of the account's current address and verification
time, so a link stops working once it has been used (verifying or changing
the address changes the fingerprint) and once the address changed by any
other path. The signature carries its own time, so links expire without a
table of pending tokens. Password reset links are Django's own
(`default_token_generator`), used by its auth views.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import User

VERIFY_PURPOSE = "verify"
CHANGE_PURPOSE = "change"
MAX_AGE = {
    VERIFY_PURPOSE: timedelta(days=3),
    CHANGE_PURPOSE: timedelta(days=1),
}
_SALT = "broadsheet.accounts.email"


class TokenInvalid(Exception):
    """The link is forged, expired, used, or meant for another purpose."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class EmailClaim:
    user_id: int
    email: str
    fingerprint: str


def _fingerprint(user: User, purpose: str) -> str:
    verified = user.email_verified_at.isoformat() if user.email_verified_at else ""
    state = f"{user.pk}:{user.email}:{verified}"
    return salted_hmac(f"{_SALT}.{purpose}", state, algorithm="sha256").hexdigest()[:32]


def email_token_make(*, user: User, email: str, purpose: str) -> str:
    """A link token claiming that `user` reads `email`, for one `purpose`."""
    payload = {"u": user.pk, "e": email, "f": _fingerprint(user, purpose)}
    return signing.dumps(payload, salt=f"{_SALT}.{purpose}", compress=False)


def email_token_read(token: str, *, purpose: str) -> EmailClaim:
    """The claim in a token whose signature and age are good; raises TokenInvalid otherwise."""
    try:
        payload = signing.loads(token, salt=f"{_SALT}.{purpose}", max_age=MAX_AGE[purpose])
    except signing.SignatureExpired:
        raise TokenInvalid("expired") from None
    except signing.BadSignature:
        raise TokenInvalid("bad_signature") from None
    if not (
        isinstance(payload, dict)
        and isinstance(payload.get("u"), int)
        and isinstance(payload.get("e"), str)
        and isinstance(payload.get("f"), str)
    ):
        raise TokenInvalid("bad_signature")
    return EmailClaim(user_id=payload["u"], email=payload["e"], fingerprint=payload["f"])


def email_token_current(claim: EmailClaim, *, user: User, purpose: str) -> bool:
    """Whether the account is still in the state the token was made in (not used since)."""
    return user.pk == claim.user_id and constant_time_compare(
        claim.fingerprint, _fingerprint(user, purpose)
    )
