"""The rate counters: fixed windows in their own table, exact under concurrency."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from broadsheet.moderation import ratelimits
from broadsheet.moderation.models import RateCounter
from broadsheet.moderation.ratelimits import Limit, count_hits, current_counts

MINUTE = Limit("test-minute", 2, 60)
HOUR = Limit("test-hour", 100, 3600)


def counts(pairs, at):
    return [c.count for c in count_hits(pairs, at=at)]


@pytest.mark.django_db
def test_a_window_counts_its_hits_and_the_next_starts_again():
    assert [counts([("k", MINUTE)], 120.0) for _ in range(3)] == [[1], [2], [3]]
    assert counts([("k", MINUTE)], 179.9) == [4]
    assert counts([("k", MINUTE)], 180.0) == [1]  # the next minute
    assert counts([("other", MINUTE)], 180.0) == [1]  # keys count apart


@pytest.mark.django_db
def test_one_statement_counts_every_limit_and_reports_each(django_assert_num_queries):
    pairs = [("a", MINUTE), ("a", HOUR), ("b", MINUTE)]
    with django_assert_num_queries(1):
        first = count_hits(pairs, at=3600.0)
    assert [(c.name, c.count, c.limit, c.window_seconds) for c in first] == [
        ("test-minute", 1, 2, 60), ("test-hour", 1, 100, 3600), ("test-minute", 1, 2, 60),
    ]  # fmt: skip
    assert counts(pairs, 3659.0) == [2, 2, 2]
    assert counts(pairs, 3660.0) == [1, 3, 1]  # a new minute, the same hour


@pytest.mark.django_db
def test_current_counts_read_without_counting():
    count_hits([("k", MINUTE)], at=60.0)
    count_hits([("k", MINUTE)], at=61.0)
    assert [c.count for c in current_counts([("k", MINUTE), ("new", MINUTE)], at=62.0)] == [2, 0]
    assert [c.count for c in current_counts([("k", MINUTE)], at=120.0)] == [0]  # window over
    assert RateCounter.objects.get(counter_key="test-minute:k").hits == 2


@pytest.mark.django_db
def test_counting_purges_now_and_then(settings):
    count_hits([("old", MINUTE)], at=0.0)
    settings.BROADSHEET_RATE_COUNTER_PURGE_ONE_IN = 1  # every call
    count_hits([("recent", MINUTE)], at=7000.0)
    assert list(RateCounter.objects.values_list("counter_key", flat=True)) == ["test-minute:recent"]


@pytest.mark.django_db
def test_stale_rows_are_purged():
    count_hits([("old", MINUTE), ("old", HOUR)], at=0.0)
    count_hits([("recent", MINUTE)], at=7000.0)
    assert ratelimits.purge_stale(at=7001.0) == 2
    assert list(RateCounter.objects.values_list("counter_key", flat=True)) == ["test-minute:recent"]


def _hit_in_thread(at: float) -> int:
    try:
        return count_hits([("shared", HOUR), ("office", MINUTE)], at=at)[0].count
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_are_each_counted_once():
    workers = 20 if connection.vendor == "postgresql" else 4
    with ThreadPoolExecutor(max_workers=workers) as pool:
        seen = list(pool.map(_hit_in_thread, [7200.0 + n / 100 for n in range(100)]))
    # Every attempt saw a count of its own: none was lost or counted twice.
    assert sorted(seen) == list(range(1, 101))
    assert RateCounter.objects.get(counter_key="test-hour:shared").hits == 100
    assert RateCounter.objects.get(counter_key="test-minute:office").hits == 100
