"""The database cache with its one-statement `set` (core/db_cache.py), on the real table."""

import secrets

import pytest
from django.db import connection

from broadsheet.core.db_cache import DatabaseCache

pytestmark = pytest.mark.django_db


def backend(**options) -> DatabaseCache:
    return DatabaseCache(
        "broadsheet_cache", {"KEY_PREFIX": f"t{secrets.token_hex(3)}", "OPTIONS": options}
    )


def test_it_stores_replaces_and_expires_as_djangos_backend():
    cache = backend()
    cache.set("page", b"\x1f\x8b" + b"z" * 70_000, 30)
    assert cache.get("page") == b"\x1f\x8b" + b"z" * 70_000
    cache.set("stamp", "a", None)
    cache.set("stamp", "b", None)
    assert cache.get("stamp") == "b"
    cache.set("gone", 1, -1)  # already expired
    assert cache.get("gone") is None
    assert cache.add("stamp", "c") is False and cache.add("new", "d") is True
    assert cache.get_many(["stamp", "new", "missing"]) == {"stamp": "b", "new": "d"}
    cache.delete("stamp")
    assert cache.get("stamp") is None


def test_a_set_is_one_statement(django_assert_num_queries):
    cache = backend(CULL_CHECK_ONE_IN=0)
    cache.set("k", 1)
    with django_assert_num_queries(1):
        cache.set("k", 2)


def test_the_table_is_still_culled():
    cache = backend(MAX_ENTRIES=5, CULL_FREQUENCY=2, CULL_CHECK_ONE_IN=1)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM broadsheet_cache")
    for n in range(12):
        cache.set(f"k{n}", n)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM broadsheet_cache")
        (rows,) = cursor.fetchone()
    assert rows <= 6
    assert cache.get("k11") == 11  # the newest write is kept
