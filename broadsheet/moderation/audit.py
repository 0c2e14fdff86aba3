"""Reading the audit log: every moderation action, filterable, newest first.

Writes to the log happen where the actions happen (the queue's services,
flags, roles, re-scoring); this module only reads it, for the log page.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from broadsheet.core.errors import InvalidInput

from .models import ActionKind, ModerationAction


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    kind: str = ""
    target_user_id: int | None = None
    comment_id: int | None = None
    since: date | None = None
    until: date | None = None  # inclusive: the whole day

    @property
    def active(self) -> bool:
        return any(
            (self.actor_id, self.kind, self.target_user_id, self.comment_id, self.since, self.until)
        )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_filter_parse(values: dict[str, str]) -> AuditFilter:
    """The log page's query string as a filter; a bad value is a 400 with a message."""

    def number(name: str, label: str) -> int | None:
        raw = (values.get(name) or "").strip().lstrip("#")
        if not raw:
            return None
        if not raw.isdigit():
            raise InvalidInput(f"{label} must be a number.", code="filter_invalid", field=name)
        return int(raw)

    def day(name: str, label: str) -> date | None:
        raw = (values.get(name) or "").strip()
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise InvalidInput(
                f"{label} must be a date like 2026-03-05.", code="filter_invalid", field=name
            ) from None

    kind = (values.get("kind") or "").strip()
    if kind and kind not in ActionKind.values:
        raise InvalidInput("There is no such kind of action.", code="filter_invalid", field="kind")
    found = AuditFilter(
        actor_id=number("actor", "The moderator"),
        kind=kind,
        target_user_id=number("target", "The user"),
        comment_id=number("comment", "The comment"),
        since=day("since", "“From”"),
        until=day("until", "“To”"),
    )
    if found.since and found.until and found.since > found.until:
        raise InvalidInput("“From” is after “To”.", code="filter_invalid", field="since")
    return found


def audit_log(*, filters: AuditFilter) -> QuerySet[ModerationAction]:
    """The matching entries, newest first, with what a row shows joined in (one query a page)."""
    condition = Q()
    if filters.actor_id is not None:
        condition &= Q(actor_id=filters.actor_id)
    if filters.kind:
        condition &= Q(kind=filters.kind)
    if filters.target_user_id is not None:
        condition &= Q(target_user_id=filters.target_user_id)
    if filters.comment_id is not None:
        condition &= Q(comment_id=filters.comment_id)
    if filters.since is not None:
        condition &= Q(created_at__gte=_day_start(filters.since))
    if filters.until is not None:
        condition &= Q(created_at__lt=_day_start(filters.until + timedelta(days=1)))
    return (
        ModerationAction.objects.filter(condition)
        .select_related("actor", "target_user", "comment", "reverted_by", "reverts")
        .order_by("-created_at", "-id")
    )


def audit_actors() -> list[tuple[int, str]]:
    """Everyone who has acted, for the filter's choices: one query."""
    return list(
        ModerationAction.objects.filter(actor__isnull=False)
        .order_by("actor__display_name", "actor_id")
        .values_list("actor_id", "actor__display_name")
        .distinct()
    )
