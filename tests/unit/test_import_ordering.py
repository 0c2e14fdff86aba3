"""Parents first, with self-parents, cycles and over-deep chains repaired and reported."""

from broadsheet.importers.ordering import Placed, parents_first


def test_children_listed_before_parents_come_after_them():
    placed, repairs = parents_first([("c", "b"), ("b", "a"), ("a", None)], max_depth=10)

    assert placed == [Placed("a", None), Placed("b", "a"), Placed("c", "b")]
    assert repairs == []


def test_given_order_is_kept_where_parents_allow():
    placed, _ = parents_first([("x", None), ("y", "x"), ("z", None), ("w", "x")], max_depth=10)

    assert [p.key for p in placed] == ["x", "y", "z", "w"]


def test_self_parent_is_rerooted():
    placed, repairs = parents_first([("a", "a")], max_depth=10)

    assert placed == [Placed("a", None)]
    assert repairs[0].key == "a" and "itself" in repairs[0].reason and repairs[0].rerooted


def test_a_cycle_is_cut_at_its_first_comment():
    placed, repairs = parents_first([("a", "c"), ("b", "a"), ("c", "b"), ("d", "c")], max_depth=10)

    assert placed == [Placed("a", None), Placed("b", "a"), Placed("c", "b"), Placed("d", "c")]
    assert [(r.key, "cycle" in r.reason) for r in repairs] == [("a", True)]


def test_a_parent_outside_the_thread_is_kept_for_the_loader():
    placed, repairs = parents_first([("a", "elsewhere")], max_depth=10)

    assert placed == [Placed("a", "elsewhere")]
    assert repairs == []


def test_chains_deeper_than_the_limit_are_lifted():
    chain = [("0", None)] + [(str(n), str(n - 1)) for n in range(1, 6)]

    placed, repairs = parents_first(chain, max_depth=3)

    parents = {p.key: p.parent_key for p in placed}
    assert parents == {"0": None, "1": "0", "2": "1", "3": "2", "4": "2", "5": "2"}
    assert [r.key for r in repairs] == ["4", "5"]
    assert not any(r.rerooted for r in repairs)


def test_a_long_chain_needs_no_recursion():
    chain = [(str(n), str(n - 1) if n else None) for n in range(20_000)]

    placed, _ = parents_first(list(reversed(chain)), max_depth=250)

    assert placed[0] == Placed("0", None) and len(placed) == 20_000
