"""One thread's comments put parents first, with the source's broken links repaired.

Sources are not trees we can trust: a comment may answer itself, answers may
form a cycle, a parent may be missing, a chain may be deeper than we display.
Each repair re-roots (or lifts) the comment and says why; nothing is dropped.
Within that constraint comments keep their given order (the loader gives time
order), so that positions, and with them "oldest first", match the source.
"""

import heapq
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Placed:
    key: str
    parent_key: str | None


@dataclass(frozen=True)
class Repair:
    key: str
    reason: str
    rerooted: bool = True


def parents_first(
    items: Sequence[tuple[str, str | None]], *, max_depth: int
) -> tuple[list[Placed], list[Repair]]:
    """`items` are (key, parent key) in the wanted order; keys are unique.

    A parent key that is not among the items is kept: it may be a comment an
    earlier import brought (the bulk loader re-roots it if not, as an orphan).
    """
    index = {key: n for n, (key, _) in enumerate(items)}
    parent: dict[str, str | None] = {}
    repairs: list[Repair] = []
    for key, parent_key in items:
        if parent_key == key:
            repairs.append(Repair(key, "it answers itself; made top-level"))
            parent_key = None
        parent[key] = parent_key

    _break_cycles(items, index, parent, repairs)

    children: dict[str, list[str]] = {}
    roots: list[tuple[int, str]] = []
    depth: dict[str, int] = {}
    for key, _ in items:
        up = parent[key]
        if up is not None and up in index:
            children.setdefault(up, []).append(key)
        else:
            roots.append((index[key], key))
            # A parent from an earlier import sits at depth >= 0; count it as 0.
            depth[key] = 0 if up is None else 1
    heapq.heapify(roots)
    placed: list[Placed] = []
    while roots:
        _, key = heapq.heappop(roots)
        placed.append(Placed(key, parent[key]))
        for child in children.get(key, ()):
            if depth[key] + 1 > max_depth:
                # Too deep to show: answer the same comment its parent answers.
                parent[child] = parent[key]
                depth[child] = depth[key]
                repairs.append(
                    Repair(child, f"deeper than {max_depth} levels; placed beside {key}", False)
                )
            else:
                depth[child] = depth[key] + 1
            heapq.heappush(roots, (index[child], child))
    return placed, repairs


def _break_cycles(
    items: Sequence[tuple[str, str | None]],
    index: dict[str, int],
    parent: dict[str, str | None],
    repairs: list[Repair],
) -> None:
    """Walks up from every comment; a walk that meets itself is a cycle, cut at its oldest."""
    settled: set[str] = set()
    for start, _ in items:
        path: list[str] = []
        on_path: set[str] = set()
        key: str | None = start
        while key is not None and key in index and key not in settled:
            if key in on_path:
                cycle = path[path.index(key) :]
                cut = min(cycle, key=index.__getitem__)
                parent[cut] = None
                names = " -> ".join(cycle[:5]) + (" -> ..." if len(cycle) > 5 else "")
                repairs.append(Repair(cut, f"its replies form a cycle ({names}); made top-level"))
                break
            path.append(key)
            on_path.add(key)
            key = parent[key]
        settled.update(path)
