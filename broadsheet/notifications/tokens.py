"""Signed links for guest confirmation and one-click unsubscribe.

Confirmation: the link must carry the guest's address (we keep none until it
is confirmed), yet a link lands in server logs and the task queue's table. So
the address travels XOR-masked by a one-time pad of random bytes that only the
pending subscription row holds: the link alone, or the row alone, says nothing
about the address, and deleting an expired row makes old links meaningless.
The signature (with its timestamp) makes the link tamper-proof and expiring.

Unsubscribe: no expiry (people unsubscribe from old mail), bound to the
subscription's identity so a later row with a reused id is not affected.
"""

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

CONFIRM_MAX_AGE = timedelta(days=3)
_CONFIRM_SALT = "broadsheet.notifications.confirm"
_UNSUBSCRIBE_SALT = "broadsheet.notifications.unsubscribe"
# Addresses are padded to a multiple of this many bytes, so the mask hides their length too.
_PAD_BLOCK = 64


class TokenInvalid(Exception):
    """The link is forged, expired, or replaced by a newer one."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def pad_new(email: str) -> str:
    """Random bytes as long as the padded address, as hex for the row."""
    size = -(-len(email.encode()) // _PAD_BLOCK) * _PAD_BLOCK
    return secrets.token_hex(size)


def _pad_fingerprint(pad_hex: str) -> str:
    return hashlib.sha256(pad_hex.encode()).hexdigest()[:16]


def confirm_token_make(*, subscription_id: int, email: str, pad_hex: str) -> str:
    pad = bytes.fromhex(pad_hex)
    data = email.encode().ljust(len(pad), b"\0")
    masked = bytes(a ^ b for a, b in zip(data, pad, strict=True))
    payload = {"s": subscription_id, "m": _b64(masked), "f": _pad_fingerprint(pad_hex)}
    return signing.dumps(payload, salt=_CONFIRM_SALT, compress=False)


@dataclass(frozen=True)
class ConfirmClaim:
    subscription_id: int
    masked: bytes
    pad_fingerprint: str

    def email(self, pad_hex: str) -> str:
        """The address, given the row's current pad; raises TokenInvalid for a replaced link."""
        if not constant_time_compare(self.pad_fingerprint, _pad_fingerprint(pad_hex)):
            raise TokenInvalid("replaced")
        pad = bytes.fromhex(pad_hex)
        if len(pad) != len(self.masked):
            raise TokenInvalid("replaced")
        data = bytes(a ^ b for a, b in zip(self.masked, pad, strict=True))
        return data.rstrip(b"\0").decode()


def confirm_token_read(token: str, *, max_age: timedelta = CONFIRM_MAX_AGE) -> ConfirmClaim:
    try:
        payload = signing.loads(token, salt=_CONFIRM_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise TokenInvalid("expired") from None
    except signing.BadSignature:
        raise TokenInvalid("bad_signature") from None
    if not (
        isinstance(payload, dict)
        and isinstance(payload.get("s"), int)
        and isinstance(payload.get("m"), str)
        and isinstance(payload.get("f"), str)
    ):
        raise TokenInvalid("bad_signature")
    try:
        masked = _unb64(payload["m"])
    except ValueError:
        raise TokenInvalid("bad_signature") from None
    return ConfirmClaim(subscription_id=payload["s"], masked=masked, pad_fingerprint=payload["f"])


# -- unsubscribe ----------------------------------------------------------------------------------

USER = "u"
GUEST = "g"


@dataclass(frozen=True)
class UnsubscribeClaim:
    kind: str  # USER or GUEST
    id: int
    fingerprint: str


def subscription_fingerprint(*, email_hash: str, guest_key_hash: str) -> str:
    """Binds a guest's link to the subscription's identity, not only its row id."""
    state = f"{email_hash}:{guest_key_hash}"
    return salted_hmac(_UNSUBSCRIBE_SALT, state, algorithm="sha256").hexdigest()[:16]


def unsubscribe_token_make(*, kind: str, id: int, fingerprint: str = "") -> str:
    return signing.dumps({"k": kind, "i": id, "f": fingerprint}, salt=_UNSUBSCRIBE_SALT)


def unsubscribe_token_read(token: str) -> UnsubscribeClaim:
    try:
        payload = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise TokenInvalid("bad_signature") from None
    if not (
        isinstance(payload, dict)
        and payload.get("k") in (USER, GUEST)
        and isinstance(payload.get("i"), int)
        and isinstance(payload.get("f"), str)
    ):
        raise TokenInvalid("bad_signature")
    return UnsubscribeClaim(kind=payload["k"], id=payload["i"], fingerprint=payload["f"])
