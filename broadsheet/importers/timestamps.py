"""Source timestamps as aware datetimes; a source without a zone means UTC unless told otherwise."""

from datetime import UTC, datetime, tzinfo


def parse_timestamp(value: str, *, assume: tzinfo = UTC) -> datetime | None:
    """ISO 8601 ("2013-04-05T16:17:03Z") or SQL ("2013-04-05 16:17:03"); None if unreadable."""
    value = value.strip()
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=assume)


def from_unix(value: float) -> datetime:
    return datetime.fromtimestamp(value, tz=UTC)
