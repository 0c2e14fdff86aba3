"""Fixed-window counters in Django's cache, shared by every app process.

The cache is Redis (REDIS_URL) or the database cache, never a per-process
memory cache, so N app processes count together. Keys hold hashes only (the
client address's keyed hash, a user id, a guest token's hash), never a raw
address. The address is the one the edge resolved through trusted proxies
only (`core.addresses.resolve_client_address`), so a client that sends its own
X-Forwarded-For header counts against its real address all the same.

A window is fixed (it restarts every `window` seconds): cheap, one increment
per limit, and a burst across a window boundary gets at most twice the limit.
"""

from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import transaction

from .pipeline import RateCount


@dataclass(frozen=True)
class Limit:
    name: str
    limit: int
    window_seconds: int


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


def hit(key: str, limit: Limit, *, at: float) -> RateCount:
    """Counts one attempt against `limit` for `key`; returns the count in the current window."""
    window = limit.window_seconds
    cache_key = f"rl:{limit.name}:{key}:{int(at // window)}"
    # One write per limit once the window's counter exists (each write is a
    # transaction with the database cache). The first hit creates it with add(),
    # a no-op if a concurrent first hit got there before, which is then counted.
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the window's first hit
        count = 1 if cache.add(cache_key, 1, timeout=window + 5) else cache.incr(cache_key)
    return RateCount(limit.name, count, limit.limit, window)


def hit_all(
    *, address_hash: str, author_key: str, thread_id: int | None, at: float
) -> tuple[RateCount, ...]:
    """Counts one comment attempt under every limit that applies to it."""
    counts: list[RateCount] = []
    pairs: Iterable[tuple[str, tuple[Limit, ...]]] = (
        (address_hash and f"a:{address_hash}", _limits("address", ADDRESS_LIMITS)),
        (author_key and f"u:{author_key}", _limits("author", AUTHOR_LIMITS)),
        (
            author_key and thread_id is not None and f"t:{thread_id}:{author_key}",
            _limits("thread", THREAD_LIMITS),
        ),
    )
    # With the database cache every counter write is a transaction; one around them
    # all takes the (SQLite: single) write lock once per comment instead of per limit.
    together = transaction.atomic if isinstance(caches["default"], DatabaseCache) else nullcontext
    with together():
        for key, limits in pairs:
            if not key:
                continue
            counts.extend(hit(key, limit, at=at) for limit in limits)
    return tuple(counts)
