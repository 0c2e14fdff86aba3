"""Thread positions as a materialized path.

Every comment takes the thread's next sequence number; its path is its
parent's path plus that number as a fixed-width base-36 segment. Sorting by
path lists a thread depth-first with siblings oldest first, and a subtree is
every path that starts with its root's path: one indexed range read.
"""

SEGMENT_WIDTH = 6
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
MAX_SEQ = 36**SEGMENT_WIDTH - 1


def segment(seq: int) -> str:
    if not 0 < seq <= MAX_SEQ:
        raise ValueError(f"sequence {seq} out of range")
    out = []
    for _ in range(SEGMENT_WIDTH):
        seq, digit = divmod(seq, 36)
        out.append(_DIGITS[digit])
    return "".join(reversed(out))


def child_path(parent_path: str, seq: int) -> str:
    return parent_path + segment(seq)


def root_seq(path: str) -> int:
    """The sequence number of the path's top-level comment: its first segment."""
    return int(path[:SEGMENT_WIDTH], 36)


def depth_of(path: str) -> int:
    return len(path) // SEGMENT_WIDTH - 1


def subtree_upper_bound(path: str) -> str:
    """The smallest string above every path in the subtree of `path`."""
    return path + "~"
