"""Fixed-window counters in a table of their own, shared by every app process.

One statement counts an attempt under every limit that applies to it: an upsert
per (limit, key) row that starts the count afresh when the window has moved on
and returns the new counts. It is exact under concurrency on both databases (each
row is updated under its lock) and cheap: through Django's cache it took an
increment per limit, and with the database cache (SQLite, or PostgreSQL without
Redis) each increment was a read, a count of the cache table and a write in a
transaction of its own — 19 statements a comment, and not atomic at all (the
database cache increments by get-then-set).

Keys hold hashes only (the client address's keyed hash, a user id, a guest token's
hash), never a raw address. The address is the one the edge resolved through trusted
proxies only (`core.addresses.resolve_client_address`), so a client that sends its
own X-Forwarded-For header counts against its real address all the same.

A window is fixed (it restarts every `window` seconds): a burst across a window
boundary gets at most twice the limit.
"""

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from broadsheet.core import sql

from .models import RateCounter
from .pipeline import RateCount


@dataclass(frozen=True)
class Limit:
    name: str
    limit: int
    window_seconds: int

    def window_start(self, at: float) -> int:
        return int(at // self.window_seconds) * self.window_seconds


# Per client address hash: generous, since an office or a mobile network shares one address.
ADDRESS_LIMITS = (Limit("address-minute", 20, 60), Limit("address-hour", 200, 3600))
# Per account, or per guest token when there is no account.
AUTHOR_LIMITS = (Limit("author-minute", 6, 60), Limit("author-hour", 60, 3600))
# One author's burst in one discussion.
THREAD_LIMITS = (Limit("thread-burst", 4, 60),)


def _limits(kind: str, default: tuple[Limit, ...]) -> tuple[Limit, ...]:
    """Settings may override a kind: BROADSHEET_RATE_LIMITS = {"address": [(20, 60), ...]}."""
    configured = getattr(settings, "BROADSHEET_RATE_LIMITS", {}).get(kind)
    if configured is None:
        return default
    return tuple(
        Limit(f"{kind}-{window}s", int(limit), int(window)) for limit, window in configured
    )


def _row_key(key: str, limit: Limit) -> str:
    return f"{limit.name}:{key}"


def count_hits(pairs: Sequence[tuple[str, Limit]], *, at: float) -> tuple[RateCount, ...]:
    """Counts one attempt for each (key, limit); returns each window's count, this one included."""
    if not pairs:
        return ()
    # Rows in one order for every caller: two upserts never wait on each other crosswise.
    by_row = {_row_key(key, limit): limit for key, limit in pairs}
    ordered = sorted(by_row)
    params: list = []
    for row in ordered:
        limit = by_row[row]
        start = limit.window_start(at)
        params += [row, start, start + limit.window_seconds]
    table = sql.table(RateCounter)
    values = ", ".join(["(%s, %s, 1, %s)"] * len(ordered))
    counted = dict(
        sql.rows(
            f"INSERT INTO {table} (counter_key, window_start, hits, expires_at) "  # noqa: S608
            f"VALUES {values} ON CONFLICT (counter_key) DO UPDATE SET "
            f"hits = CASE WHEN {table}.window_start = excluded.window_start "
            f"THEN {table}.hits + 1 ELSE 1 END, "
            "window_start = excluded.window_start, expires_at = excluded.expires_at "
            "RETURNING counter_key, hits",
            params,
        )
    )
    # About one call in this many also deletes the rows of windows long gone (0: never,
    # as in the test settings, so that query counts stay exact).
    one_in = settings.BROADSHEET_RATE_COUNTER_PURGE_ONE_IN
    if one_in and random.random() * one_in < 1:
        purge_stale(at=at)
    return tuple(
        RateCount(limit.name, counted[_row_key(key, limit)], limit.limit, limit.window_seconds)
        for key, limit in pairs
    )


def current_counts(pairs: Sequence[tuple[str, Limit]], *, at: float) -> tuple[RateCount, ...]:
    """Each window's count so far, counting nothing (to refuse before doing the work)."""
    rows = {_row_key(key, limit): limit for key, limit in pairs}
    found: dict[str, int] = {}
    if rows:
        for row, hits, start in sql.rows(
            f"SELECT counter_key, hits, window_start FROM {sql.table(RateCounter)} "  # noqa: S608
            f"WHERE counter_key IN ({', '.join(['%s'] * len(rows))})",
            list(rows),
        ):
            if start == rows[row].window_start(at):
                found[row] = hits
    return tuple(
        RateCount(limit.name, found.get(_row_key(key, limit), 0), limit.limit, limit.window_seconds)
        for key, limit in pairs
    )


def purge_stale(*, at: float) -> int:
    """Deletes the rows whose windows have ended: a key not seen since keeps no row."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {sql.table(RateCounter)} WHERE expires_at < %s",  # noqa: S608
            [int(at)],
        )
        return cursor.rowcount


def hit_all(
    *, address_hash: str, author_key: str, thread_id: int | None, at: float
) -> tuple[RateCount, ...]:
    """Counts one comment attempt under every limit that applies to it."""
    keyed: Iterable[tuple[str, tuple[Limit, ...]]] = (
        (address_hash and f"a:{address_hash}", _limits("address", ADDRESS_LIMITS)),
        (author_key and f"u:{author_key}", _limits("author", AUTHOR_LIMITS)),
        (
            author_key and thread_id is not None and f"t:{thread_id}:{author_key}",
            _limits("thread", THREAD_LIMITS),
        ),
    )
    return count_hits([(key, limit) for key, limits in keyed if key for limit in limits], at=at)
