"""Django's database cache, with `set` as one statement.

The cache of a site without Redis (SQLite, or PostgreSQL alone). Django's backend
writes a key with a `COUNT(*)` of the whole table (to decide whether to cull),
then, in a transaction of its own, a read of the key and an update or insert:
four statements and, on SQLite, the database's one write lock taken twice. Every
comment posted replaces its thread's stamp (discussion/stamps.py) and every page
rendered after it is stored, so under a stream of posts these writes queue
behind each other and behind the posts. Here `set` is one upsert, and the table
is counted for culling on about one write in OPTIONS["CULL_CHECK_ONE_IN"] (default
50; 0 never, as the test settings have it, so that query counts stay exact); the
table may overshoot MAX_ENTRIES by a few rows between checks. Reads, `add`, `touch`,
`delete` and culling itself are Django's.
"""

import base64
import pickle
import random
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router
from django.utils.timezone import now


class DatabaseCache(DjangoDatabaseCache):
    def __init__(self, table: str, params: dict) -> None:
        super().__init__(table, params)
        self.cull_check_one_in = int(params.get("OPTIONS", {}).get("CULL_CHECK_ONE_IN", 50))

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        key = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        if timeout is None:
            expires = datetime.max
        else:
            expires = datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        with connection.cursor() as cursor:
            one_in = self.cull_check_one_in
            if one_in and random.random() * one_in < 1:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
                (count,) = cursor.fetchone()
                if count > self._max_entries:
                    self._cull(db, cursor, now().replace(microsecond=0), count)
            cursor.execute(
                f"INSERT INTO {table} ({quote('cache_key')}, {quote('value')}, "  # noqa: S608
                f"{quote('expires')}) VALUES (%s, %s, %s) ON CONFLICT ({quote('cache_key')}) "
                f"DO UPDATE SET {quote('value')} = excluded.{quote('value')}, "
                f"{quote('expires')} = excluded.{quote('expires')}",
                [
                    key,
                    encoded,
                    connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0)),
                ],
            )
