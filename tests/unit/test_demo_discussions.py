"""The simulated discussion: its shape (crowd, depth, order, guests) without a database."""

from datetime import UTC, datetime, timedelta

from broadsheet.demo.discussions import Commenter, discussion_records
from broadsheet.demo.people import crowd_names
from broadsheet.demo.topics import BRIDGE, SCHOOLS

START = datetime(2025, 3, 4, 6, 0, tzinfo=UTC)
END = START + timedelta(hours=7)


def _people() -> list[Commenter]:
    # All guests here (members need saved users); the shape of the crowd is the same.
    members, guests = crowd_names(readers=190, guests=110, seed=1)
    return [Commenter(name=n) for n in members + guests]


def _records(count: int, seed: str = "s", topic=BRIDGE):
    return discussion_records(
        topic=topic, count=count, people=_people(), start=START, end=END, seed=seed
    )


def _depths(records) -> dict[str, int]:
    depth: dict[str, int] = {}
    for r in records:
        depth[r.key] = depth[r.parent_key] + 1 if r.parent_key else 0
    return depth


def test_the_same_seed_gives_the_same_discussion():
    assert _records(300, "a") == _records(300, "a")
    assert _records(300, "a") != _records(300, "b")


def test_parents_come_first_and_replies_come_later():
    records = _records(1200)
    seen = {}
    for record in records:
        if record.parent_key:
            assert record.parent_key in seen
            assert record.created_at > seen[record.parent_key]
        seen[record.key] = record.created_at
    assert all(START < r.created_at < END for r in records)
    assert [r.created_at for r in records] == sorted(r.created_at for r in records)


def test_a_big_thread_argues_ten_levels_deep_and_a_small_one_stays_small():
    assert max(_depths(_records(1200)).values()) >= 10
    small = _records(12, topic=SCHOOLS)
    assert len(small) == 12
    assert len({r.guest_name for r in small}) <= 6


def test_a_big_thread_draws_most_of_the_crowd():
    names = {r.guest_name for r in _records(1200)}
    assert len(names) >= 200


def test_no_comments_asked_none_given():
    assert _records(0) == []
