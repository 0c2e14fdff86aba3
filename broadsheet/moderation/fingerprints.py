"""SimHash fingerprints of comments, stored on the row, and the recent ones to compare with.

SimHash is an unsigned 64-bit number; the column is a signed BIGINT on both
databases, so values are stored shifted into the signed range and read back.
"""

from datetime import datetime, timedelta

from broadsheet.accounts.models import User
from broadsheet.classifiers import duplicates
from broadsheet.core import sql
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


def authored_by(user: User | None, guest_key_hash: str) -> tuple[str, list]:
    """A WHERE condition (and its parameters) for an author's comments: an account's, or a
    guest's by browser token; ("", []) for neither."""
    if user is not None:
        return "author_id = %s", [user.pk]
    if guest_key_hash:
        return "author_id IS NULL AND guest_key_hash = %s", [guest_key_hash]
    return "", []


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
    own, own_params = authored_by(user, guest_key_hash)
    # Plain SQL (core/sql.py): these run for every comment. `simhash IS NOT NULL` lets the
    # planner use the partial indexes kept for them (discussion/models.py).
    recent = f"SELECT simhash, thread_id FROM {sql.table(Comment)} WHERE simhash IS NOT NULL"  # noqa: S608
    skip, skip_params = (" AND id <> %s", [exclude_id]) if exclude_id is not None else ("", [])
    mine = []
    if own:
        mine = sql.rows(
            f"{recent}{skip} AND {own} AND created_at >= %s ORDER BY created_at DESC LIMIT %s",
            [*skip_params, *own_params, sql.moment(at - OWN_WINDOW), OWN_LIMIT],
        )
    others = sql.rows(
        f"{recent}{skip} AND created_at >= %s AND thread_id <> %s "
        "ORDER BY created_at DESC LIMIT %s",
        [*skip_params, sql.moment(at - FLOOD_WINDOW), thread_id, FLOOD_LIMIT],
    )
    return (
        tuple(Fingerprint(from_column(h), t) for h, t in mine),
        tuple(Fingerprint(from_column(h), t) for h, t in others),
    )
