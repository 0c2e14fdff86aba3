"""How often an account may make the site send mail.

Every address-confirming mail can be aimed at someone else's mailbox (sign up
with a stranger's address, then press "resend"), so each kind of mail is
limited per account. The count lives in the shared cache, so every app process
agrees on it.
"""

from django.core.cache import cache

from broadsheet.core.errors import BroadsheetError

MAIL_INTERVAL_SECONDS = 60


class TooSoon(BroadsheetError):
    status = 429
    code = "too_soon"


def mail_allowed(*, kind: str, user_id: int, seconds: int = MAIL_INTERVAL_SECONDS) -> bool:
    """True once per `seconds` for each (kind, account); the first call in a window claims it."""
    return cache.add(f"accounts:mail:{kind}:{user_id}", 1, timeout=seconds)


def mail_allow_or_raise(*, kind: str, user_id: int, seconds: int = MAIL_INTERVAL_SECONDS) -> None:
    if not mail_allowed(kind=kind, user_id=user_id, seconds=seconds):
        raise TooSoon(
            f"We sent you a message less than {seconds} seconds ago. "
            "Check your inbox (and spam folder), then try again in a minute.",
        )
