"""SimHash fingerprints of comments, stored on the row, and the recent ones to compare with.

SimHash is an unsigned 64-bit number; the column is a signed BIGINT on both
databases, so values are stored shifted into the signed range and read back.
"""

from datetime import datetime, timedelta

from django.db.models import Q

from broadsheet.accounts.models import User
from broadsheet.classifiers import duplicates
from broadsheet.discussion.models import Comment

from .pipeline import Fingerprint

# Same text from the same person within a day; from anyone within the hour (floods).
OWN_WINDOW = timedelta(hours=24)
FLOOD_WINDOW = timedelta(hours=1)
OWN_LIMIT = 100
FLOOD_LIMIT = 500

_TWO_63 = 1 << 63
_TWO_64 = 1 << 64
_UNSIGNED = _TWO_64 - 1


def to_column(value: int) -> int:
    return value - _TWO_64 if value >= _TWO_63 else value


def from_column(value: int) -> int:
    return value & _UNSIGNED


def fingerprint(body: str) -> int:
    """The text's SimHash, or 0 for a text too short to mean anything when repeated."""
    return duplicates.simhash(body) if duplicates.is_fingerprinted(body) else 0


def recent_fingerprints(
    *,
    user: User | None,
    guest_key_hash: str,
    thread_id: int,
    at: datetime,
    exclude_id: int | None = None,
) -> tuple[tuple[Fingerprint, ...], tuple[Fingerprint, ...]]:
    """(the author's own recent fingerprints, everyone's in the flood window): two queries.

    The flood window is read from other discussions only: a flood is one text across
    discussions (checks.duplicate_text), and a busy story's own thread would otherwise
    fill the window with rows the check skips. It includes the author's own rows (the
    index alone answers it so): the check reads their own list first, which holds
    those same rows.
    """
    # "Own" is by account or browser token only: people behind one shared address (an
    # office) may well say the same short thing. A guest rotating tokens is caught as a
    # flood across threads instead, like anyone repeating a text.
    if user is not None:
        own = Q(author=user)
    elif guest_key_hash:
        own = Q(author__isnull=True, guest_key_hash=guest_key_hash)
    else:
        own = Q(pk__in=[])
    recent = Comment.objects.filter(simhash__isnull=False).exclude(pk=exclude_id)
    mine = (
        recent.filter(own, created_at__gte=at - OWN_WINDOW)
        .order_by("-created_at")
        .values_list("simhash", "thread_id")[:OWN_LIMIT]
    )
    others = (
        recent.filter(created_at__gte=at - FLOOD_WINDOW)
        .exclude(thread_id=thread_id)
        .order_by("-created_at")
        .values_list("simhash", "thread_id")[:FLOOD_LIMIT]
    )
    return (
        tuple(Fingerprint(from_column(h), t) for h, t in mine),
        tuple(Fingerprint(from_column(h), t) for h, t in others),
    )
