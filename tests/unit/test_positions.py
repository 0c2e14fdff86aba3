"""Materialized paths: sorting by path must list a thread depth-first, siblings oldest first."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from broadsheet.discussion.positions import (
    MAX_SEQ,
    SEGMENT_WIDTH,
    child_path,
    depth_of,
    segment,
    subtree_upper_bound,
)


def test_segment_is_fixed_width_and_ordered():
    assert segment(1) == "000001"
    assert segment(36) == "000010"
    assert segment(MAX_SEQ) == "zzzzzz"
    assert segment(9) < segment(10) < segment(36) < segment(1000)


@pytest.mark.parametrize("bad", [0, -1, MAX_SEQ + 1])
def test_segment_refuses_out_of_range(bad):
    with pytest.raises(ValueError, match="out of range"):
        segment(bad)


@given(st.lists(st.integers(min_value=-1, max_value=200), min_size=1, max_size=200))
def test_path_order_is_preorder_with_siblings_oldest_first(parent_choices):
    """Random trees: each new comment answers an earlier one (or none, for -1)."""
    paths: list[str] = []
    parents: list[int | None] = []
    for seq, choice in enumerate(parent_choices, start=1):
        parent = choice % len(paths) if paths and choice >= 0 else None
        parents.append(parent)
        paths.append(child_path(paths[parent], seq) if parent is not None else segment(seq))

    children: dict[int | None, list[int]] = {}
    for index, parent in enumerate(parents):
        children.setdefault(parent, []).append(index)

    def preorder(node: int | None) -> list[int]:
        out = [] if node is None else [node]
        for child in children.get(node, []):
            out.extend(preorder(child))
        return out

    assert sorted(range(len(paths)), key=paths.__getitem__) == preorder(None)
    for index, path in enumerate(paths):
        depth = 0 if parents[index] is None else depth_of(paths[parents[index]]) + 1
        assert depth_of(path) == depth
        assert len(path) == SEGMENT_WIDTH * (depth + 1)
        # The subtree bound admits exactly the descendants.
        inside = {i for i, p in enumerate(paths) if path <= p < subtree_upper_bound(path)}
        assert inside == set(preorder(index))
