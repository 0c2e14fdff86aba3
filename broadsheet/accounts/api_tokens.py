"""The shape of an API token: `bst_<prefix>_<secret>`, made from `secrets`, stored as a hash.

The prefix (8 hex characters) finds the row and is safe to show; the secret
is 32 random bytes. Only the SHA-256 of the whole token is stored: a key this
random cannot be guessed from its hash, so a slow password hash would buy
nothing and cost every API call.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass

TOKEN_PREFIX = "bst_"  # noqa: S105 (the public label, not a secret)
_SHAPE = re.compile(r"^bst_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True)
class MadeToken:
    prefix: str
    plaintext: str
    secret_hash: str


def token_hash(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def token_make() -> MadeToken:
    prefix = secrets.token_hex(4)
    plaintext = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    return MadeToken(prefix=prefix, plaintext=plaintext, secret_hash=token_hash(plaintext))


def token_prefix(plaintext: str) -> str | None:
    """The prefix of a well-formed token, or None: a malformed one needs no database lookup."""
    match = _SHAPE.match(plaintext)
    return match.group(1) if match else None
