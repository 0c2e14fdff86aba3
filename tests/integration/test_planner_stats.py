"""SQLite's query planner gets statistics (core/planner_stats.py); PostgreSQL keeps its own."""

import pytest
from django.db import connection

from broadsheet.core.planner_stats import refresh_planner_stats

pytestmark = pytest.mark.django_db


def test_sqlite_gets_statistics_and_postgresql_is_left_to_autovacuum(article):
    ran = refresh_planner_stats()
    assert ran is (connection.vendor == "sqlite")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'articles_article'")
            assert cursor.fetchone()[0] > 0
