"""Trust levels: earned by approved comments and time, lost by rejections and upheld flags.

Levels: 0 new, 1 basic, 2 member, 3 trusted, 4 leader. New accounts start at 0.
A level needs both an account age and a *net* record: published comments minus
five for every rejected (or spam) comment and every upheld flag against the
user, since one abusive comment outweighs many harmless ones.

| level | account age | net record |
|-------|-------------|------------|
| 1     | 1 day       | 1          |
| 2     | 14 days     | 10         |
| 3     | 60 days     | 50         |
| 4     | 180 days    | 200        |

What trust does: level 3 and up get slightly higher content-hold thresholds
(checks.py) and their flags weigh more (flags.py); address bans don't bind
accounts at level 2 and up (standing.py).
"""

from datetime import datetime, timedelta

from django.db.models import Count, Q

from broadsheet.accounts.models import User
from broadsheet.core.clock import now
from broadsheet.discussion.models import Comment, CommentStatus

from .models import UserStanding

PENALTY = 5
LEVELS: tuple[tuple[int, timedelta, int], ...] = (
    (4, timedelta(days=180), 200),
    (3, timedelta(days=60), 50),
    (2, timedelta(days=14), 10),
    (1, timedelta(days=1), 1),
)


def trust_level_for(*, approved: int, rejected: int, upheld_flags: int, age: timedelta) -> int:
    """The level a record earns; pure, so the table above is tested directly."""
    net = approved - PENALTY * (rejected + upheld_flags)
    for level, min_age, min_net in LEVELS:
        if age >= min_age and net >= min_net:
            return level
    return 0


def trust_recompute(*, user: User, at: datetime | None = None) -> UserStanding:
    """Counts the user's record again and stores the level: two queries and a write."""
    at = at or now()
    counts = Comment.objects.filter(author=user).aggregate(
        approved=Count("pk", filter=Q(status=CommentStatus.PUBLISHED, shadowed=False)),
        rejected=Count("pk", filter=Q(status__in=(CommentStatus.REJECTED, CommentStatus.SPAM))),
    )
    standing, _ = UserStanding.objects.get_or_create(user=user)
    standing.approved_count = counts["approved"]
    standing.rejected_count = counts["rejected"]
    standing.trust_level = trust_level_for(
        approved=standing.approved_count,
        rejected=standing.rejected_count,
        upheld_flags=standing.upheld_flags_count,
        age=at - user.date_joined,
    )
    standing.updated_at = at
    standing.save(update_fields=["approved_count", "rejected_count", "trust_level", "updated_at"])
    return standing
