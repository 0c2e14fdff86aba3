"""The Redis cache backend that keeps its client (core/redis_cache.py), against a real Redis."""

import secrets

import pytest

from broadsheet.core.redis_cache import RedisCache


@pytest.fixture
def backend(redis_url) -> RedisCache:
    return RedisCache(redis_url, {"KEY_PREFIX": f"bs-test-{secrets.token_hex(4)}"})


def test_it_behaves_as_djangos_backend(backend):
    backend.set("page", b"\x1f\x8b" + b"z" * 70_000, 30)
    assert backend.get("page") == b"\x1f\x8b" + b"z" * 70_000
    assert backend.add("lock", 1, 10) is True and backend.add("lock", 1, 10) is False
    backend.set("entry", (7, "stamp", "page:abc", "1:oldest"), 30)
    assert backend.get_many(["entry", "missing", "lock"]) == {
        "entry": (7, "stamp", "page:abc", "1:oldest"),
        "lock": 1,
    }
    assert backend.incr("lock", 4) == 5
    backend.delete("lock")
    assert backend.get("lock") is None


def test_one_client_serves_every_call_of_every_instance(backend, redis_url):
    client = backend._cache.get_client("a")
    assert backend._cache.get_client("b", write=True) is client
    # Under ASGI every request makes a new backend instance (caches are per context).
    another = RedisCache(redis_url, {"KEY_PREFIX": "another"})
    assert another._cache.get_client("x") is client
    backend.set("x", 1)
    assert backend.get("x") == 1 and another.get("x") is None
