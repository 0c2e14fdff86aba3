"""Orders of top-level comments. Replies always read oldest first, in path order."""

from django.db import models
from django.db.models import QuerySet

from .models import Comment


class CommentSort(models.TextChoices):
    OLDEST = "oldest", "Oldest"
    NEWEST = "newest", "Newest"

    @classmethod
    def parse(cls, value: str | None) -> "CommentSort":
        try:
            return cls(value)
        except ValueError:
            return cls.OLDEST


def order_top_level(comments: QuerySet[Comment], sort: CommentSort) -> QuerySet[Comment]:
    if sort == CommentSort.NEWEST:
        return comments.order_by("-seq")
    return comments.order_by("seq")
