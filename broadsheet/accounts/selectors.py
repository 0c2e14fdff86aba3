"""Reads about accounts that pages and the API share."""

from django.db.models import F, QuerySet

from .models import ApiToken, User


def tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """A member's API tokens, live ones first, newest first (revoked ones stay listed)."""
    return ApiToken.objects.filter(user=user).order_by(
        F("revoked_at").asc(nulls_first=True), "-created_at", "-pk"
    )
