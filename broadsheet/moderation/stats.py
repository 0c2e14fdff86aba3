"""The moderation dashboard's figures, aggregated in the database: five queries for any window.

Hours are bucketed in UTC (a local hour can repeat or vanish when the clocks
change) and labelled in local time by the page; days are local dates.
"Time to decision" runs from when a comment needed a moderator (its first
flag, else its posting, which is when the intake held it) to the moderator's
decision in the audit log.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncDate, TruncHour
from django.utils import timezone

from broadsheet.core.clock import now
from broadsheet.discussion.models import Comment, CommentStatus

from .models import ActionKind, Flag, ModerationAction

WINDOWS = (7, 30)
DECISION_KINDS = (
    ActionKind.APPROVE,
    ActionKind.REJECT,
    ActionKind.MARK_SPAM,
    ActionKind.EDIT_APPROVE,
    ActionKind.FLAGS_DISMISS,
)
SHARE_GROUPS = {
    CommentStatus.PUBLISHED: "approved",
    CommentStatus.HELD: "held",
    CommentStatus.REJECTED: "rejected",
    CommentStatus.SPAM: "rejected",
}
MOST_FLAGGED = 10


@dataclass(frozen=True)
class DayShares:
    day: date
    approved: int
    held: int
    rejected: int

    @property
    def total(self) -> int:
        return self.approved + self.held + self.rejected


@dataclass(frozen=True)
class FlaggedThread:
    thread_id: int
    title: str
    key: str
    flags: int
    comments: int
    weight: float


@dataclass(frozen=True)
class DashboardStats:
    days: int
    since: datetime
    until: datetime
    per_hour: list[tuple[datetime, int]]
    per_day: list[DayShares]
    decisions: int
    median_to_decision: timedelta | None
    most_flagged: list[FlaggedThread]

    @property
    def comments(self) -> int:
        return sum(n for _, n in self.per_hour)

    @property
    def shares(self) -> dict[str, int]:
        return {
            "approved": sum(d.approved for d in self.per_day),
            "held": sum(d.held for d in self.per_day),
            "rejected": sum(d.rejected for d in self.per_day),
        }


def _hour_floor(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def comments_per_hour(*, since: datetime, until: datetime) -> list[tuple[datetime, int]]:
    """Every hour of the window (UTC), with the comments posted in it: one query."""
    rows = dict(
        Comment.objects.filter(created_at__gte=since, created_at__lt=until)
        .annotate(hour=TruncHour("created_at", tzinfo=UTC))
        .values("hour")
        .annotate(n=Count("id"))
        .order_by("hour")
        .values_list("hour", "n")
    )
    counts = {_hour_floor(hour): n for hour, n in rows.items()}
    hours, hour = [], _hour_floor(since)
    while hour < until:
        hours.append((hour, counts.get(hour, 0)))
        hour += timedelta(hours=1)
    return hours


def shares_per_day(*, since: datetime, until: datetime) -> list[DayShares]:
    """Approved (published), held and rejected (or spam) comments by local day: one query."""
    counts: dict[tuple[date, str], int] = {}
    for day, status, n in (
        Comment.objects.filter(
            created_at__gte=since, created_at__lt=until, status__in=list(SHARE_GROUPS)
        )
        .annotate(day=TruncDate("created_at"))
        .values("day", "status")
        .annotate(n=Count("id"))
        .order_by("day")
        .values_list("day", "status", "n")
    ):
        group = SHARE_GROUPS[CommentStatus(status)]
        counts[day, group] = counts.get((day, group), 0) + n
    first, last = timezone.localdate(since), timezone.localdate(until)
    days = []
    day = first
    while day <= last:
        days.append(
            DayShares(
                day=day,
                approved=counts.get((day, "approved"), 0),
                held=counts.get((day, "held"), 0),
                rejected=counts.get((day, "rejected"), 0),
            )
        )
        day += timedelta(days=1)
    return days


def time_to_decision(*, since: datetime, until: datetime) -> tuple[int, timedelta | None]:
    """How many decisions, and the median wait before one: two queries, at most two rows.

    The median is read as the middle row(s) of the waits ordered in the
    database, which SQLite and PostgreSQL both do without a percentile function.
    """
    first_flag = (
        Flag.objects.filter(
            comment_id=OuterRef("comment_id"), created_at__lte=OuterRef("created_at")
        )
        .order_by("created_at")
        .values("created_at")[:1]
    )
    decisions = (
        ModerationAction.objects.filter(
            kind__in=DECISION_KINDS,
            created_at__gte=since,
            created_at__lt=until,
            comment__isnull=False,
        )
        .annotate(
            started=Coalesce(
                Subquery(first_flag), F("comment__created_at"), output_field=DateTimeField()
            )
        )
        .annotate(
            waited=ExpressionWrapper(F("created_at") - F("started"), output_field=DurationField())
        )
    )
    total = decisions.count()
    if not total:
        return 0, None
    middle = list(
        decisions.order_by("waited", "id").values_list("waited", flat=True)[
            (total - 1) // 2 : total // 2 + 1
        ]
    )
    waits = [max(w, timedelta(0)) for w in middle if w is not None]
    if not waits:
        return total, None
    return total, sum(waits, timedelta(0)) / len(waits)


def most_flagged_threads(*, since: datetime, until: datetime) -> list[FlaggedThread]:
    """The discussions whose comments drew the most flags in the window: one query."""
    rows = (
        Flag.objects.filter(created_at__gte=since, created_at__lt=until)
        .values("comment__thread_id", "comment__thread__title", "comment__thread__key")
        .annotate(
            flags=Count("id"),
            comments=Count("comment_id", distinct=True),
            weight=Sum("weight"),
        )
        .order_by("-flags", "-weight", "comment__thread_id")[:MOST_FLAGGED]
    )
    return [
        FlaggedThread(
            thread_id=row["comment__thread_id"],
            title=row["comment__thread__title"] or row["comment__thread__key"],
            key=row["comment__thread__key"],
            flags=row["flags"],
            comments=row["comments"],
            weight=float(row["weight"] or 0),
        )
        for row in rows
    ]


def dashboard_stats(*, days: int, at: datetime | None = None) -> DashboardStats:
    """Everything the dashboard shows for the last `days` days (7 or 30): five queries."""
    if days not in WINDOWS:
        days = WINDOWS[0]
    until = at or now()
    since = until - timedelta(days=days)
    decisions, median = time_to_decision(since=since, until=until)
    return DashboardStats(
        days=days,
        since=since,
        until=until,
        per_hour=comments_per_hour(since=since, until=until),
        per_day=shares_per_day(since=since, until=until),
        decisions=decisions,
        median_to_decision=median,
        most_flagged=most_flagged_threads(since=since, until=until),
    )
