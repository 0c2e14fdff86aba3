"""The site's time formats, written by hand for speed, must match what they promise."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import dateformat, timezone

from broadsheet.web.formats import ago, iso, stamp


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2015, 10, 29, 17, 55, tzinfo=UTC),
        datetime(2026, 1, 2, 5, 7, tzinfo=UTC),
        datetime(2026, 7, 4, 4, 0, tzinfo=UTC),
        datetime(2026, 12, 31, 16, 59, tzinfo=UTC),
    ],
)
def test_stamp_matches_djangos_format_in_the_site_zone(settings, moment):
    settings.TIME_ZONE = "America/New_York"
    expected = dateformat.format(timezone.localtime(moment), "M j, Y g:i A")
    assert stamp(moment) == expected
    assert iso(moment) == timezone.localtime(moment).isoformat()


def test_stamp_example_from_the_issue(settings):
    settings.TIME_ZONE = "America/New_York"
    assert stamp(datetime(2015, 10, 29, 17, 55, tzinfo=UTC)) == "Oct 29, 2015 1:55 PM"


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=5), "just now"),
        (timedelta(minutes=1), "1 minute ago"),
        (timedelta(minutes=59), "59 minutes ago"),
        (timedelta(hours=2, minutes=5), "2 hours ago"),
        (timedelta(days=1), "1 day ago"),
        (timedelta(days=40), "40 days ago"),
    ],
)
def test_ago(delta, text):
    assert ago(timezone.now() - delta) == text
