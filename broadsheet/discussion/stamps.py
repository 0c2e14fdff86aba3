"""A thread's change stamp in the shared cache: a token that changes with its version.

Every write that bumps a thread's version (and so changes what a reader sees) also
replaces the stamp once its transaction commits. A cached page records the stamp read
*before* the rows it was rendered from, so a later write always leaves it stale, and a
reader can tell a cached page is current from one cache read instead of a query
(web/fast_pages.py). A missing stamp (evicted, or never written) is made anew, which
only makes older pages stale.
"""

import logging
import secrets

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)


def stamp_key(thread_id: int) -> str:
    return f"thread-stamp:{thread_id}"


def _replace(thread_id: int) -> None:
    try:
        cache.set(stamp_key(thread_id), secrets.token_hex(8), None)
    except Exception:
        # The write is committed and must be acknowledged; cached pages then lag by at
        # most their lifetime (page_cache.PAGE_TTL_SECONDS), as without the stamp.
        logger.warning("Could not replace the cache stamp of thread %s", thread_id, exc_info=True)


def stamp_bump(*, thread_id: int) -> None:
    transaction.on_commit(lambda: _replace(thread_id))


def stamp_read(*, thread_id: int) -> str:
    key = stamp_key(thread_id)
    stamp = cache.get(key)
    if stamp is None:
        cache.add(key, secrets.token_hex(8), None)
        stamp = cache.get(key)
    return stamp
