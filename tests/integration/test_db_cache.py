"""The database cache that writes with one upsert (core/db_cache.py), on the test database."""

import secrets
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from broadsheet.core import db_cache
from broadsheet.core.db_cache import DatabaseCache

pytestmark = pytest.mark.django_db


def backend(**options) -> DatabaseCache:
    return DatabaseCache(
        "broadsheet_cache", {"KEY_PREFIX": f"t{secrets.token_hex(4)}", "OPTIONS": options}
    )


def test_it_behaves_as_djangos_backend():
    cache = backend()
    cache.set("page", b"\x1f\x8b" + b"z" * 70_000, 30)
    assert cache.get("page") == b"\x1f\x8b" + b"z" * 70_000
    cache.set("page", "replaced", None)
    assert cache.get("page") == "replaced"
    assert cache.add("lock", 1, 10) is True
    assert cache.add("lock", 2, 10) is False
    assert cache.get("lock") == 1
    assert cache.incr("lock", 4) == 5
    assert cache.get_many(["page", "lock", "missing"]) == {"page": "replaced", "lock": 5}
    cache.delete("lock")
    assert cache.get("lock") is None
    with pytest.raises(ValueError):
        cache.incr("lock")


def test_add_replaces_only_an_expired_entry():
    cache = backend()
    cache.set("window", "old", 1)
    time.sleep(2.1)  # the table keeps whole seconds
    assert cache.add("window", "new", 60) is True
    assert cache.get("window") == "new"


def test_a_write_is_one_statement(monkeypatch):
    monkeypatch.setattr(db_cache, "CULL_EVERY", 1_000_000)
    cache = backend()
    cache.set("warm", 1)
    with CaptureQueriesContext(connection) as queries:
        cache.set("stamp", "abc", None)
        cache.add("stamp", "xyz", None)
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["INSERT", "INSERT"]
    assert cache.get("stamp") == "abc"


def test_the_table_is_culled_every_few_writes(monkeypatch):
    monkeypatch.setattr(db_cache, "CULL_EVERY", 5)
    cache = backend(MAX_ENTRIES=10, CULL_FREQUENCY=2)
    for n in range(60):
        cache.set(f"k{n}", n, 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM broadsheet_cache")
        rows = cursor.fetchone()[0]
    # Counted on every 5th write: at most 10 rows plus the 5 written since the last count.
    assert rows <= 15
    assert cache.get("k59") == 59
