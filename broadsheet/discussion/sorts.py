"""Orders of top-level comments. Replies always read oldest first, in path order.

Scores are computed when a vote changes and stored, so each order is an
index read: "best" is the lower bound of the Wilson score interval at 80 %
confidence (Reddit's "best"); "controversial" favours many votes evenly split.
"""

import math

from django.db import models
from django.db.models import QuerySet

from .models import Comment

# z for a two-sided 80 % interval.
_Z = 1.2815515655446004


class CommentSort(models.TextChoices):
    BEST = "best", "Best"
    TOP = "top", "Top"
    NEWEST = "newest", "Newest"
    OLDEST = "oldest", "Oldest"
    CONTROVERSIAL = "controversial", "Controversial"

    @classmethod
    def parse(cls, value: str | None, default: "CommentSort | None" = None) -> "CommentSort":
        try:
            return cls(value)
        except ValueError:
            return default or cls.OLDEST


_ORDERS = {
    CommentSort.OLDEST: ("seq",),
    CommentSort.NEWEST: ("-seq",),
    CommentSort.TOP: ("-net_score", "seq"),
    CommentSort.BEST: ("-best_score", "seq"),
    CommentSort.CONTROVERSIAL: ("-controversy", "-seq"),
}


def order_top_level(comments: QuerySet[Comment], sort: CommentSort) -> QuerySet[Comment]:
    return comments.order_by(*_ORDERS[sort])


def wilson_lower_bound(up: int, down: int) -> float:
    n = up + down
    if n == 0:
        return 0.0
    p = up / n
    z2 = _Z * _Z
    centre = p + z2 / (2 * n)
    spread = _Z * math.sqrt((p * (1 - p) + z2 / (4 * n)) / n)
    return (centre - spread) / (1 + z2 / n)


def controversy(up: int, down: int) -> float:
    if up <= 0 or down <= 0:
        return 0.0
    return float((up + down) ** (min(up, down) / max(up, down)))


def vote_scores(up: int, down: int) -> tuple[int, float, float]:
    """(net, best, controversy) for a comment's tallies."""
    return up - down, wilson_lower_bound(up, down), controversy(up, down)
