"""The site's own way of writing times and avatars, for both template languages.

`stamp`, `iso` and `ago` run for every comment on a page of up to 300, so they
format with plain datetime arithmetic rather than Django's general-purpose
`date` and `naturaltime` filters, which cost several times as much.
"""

from datetime import datetime

from django.utils import timezone

from broadsheet.accounts.avatars import avatar_url as _avatar_url
from broadsheet.accounts.avatars import avatar_url_for
from broadsheet.accounts.models import User
from broadsheet.core.clock import now


def avatar_url(user: User, size: int = 48) -> str:
    return _avatar_url(user, int(size))


def avatar_src(user_id: int, avatar_key: str, size: int = 48) -> str:
    """`avatar_url` of a user known by their id and avatar key only."""
    return avatar_url_for(user_id=user_id, avatar_key=avatar_key, size=int(size))


def stamp(value: datetime) -> str:
    """The site's one way of writing a time, in its zone: "Oct 29, 2015 1:55 PM"."""
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    meridiem = "AM" if local.hour < 12 else "PM"
    return f"{local:%b} {local.day}, {local.year} {hour}:{local:%M} {meridiem}"


def iso(value: datetime) -> str:
    """For <time datetime="...">: ISO 8601 in the site's zone."""
    return timezone.localtime(value).isoformat()


def ago(value: datetime) -> str:
    """A coarse relative time: "just now", "5 minutes ago", "3 hours ago", "2 days ago"."""
    seconds = int((now() - value).total_seconds())
    if seconds < 60:
        return "just now"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return "just now"
