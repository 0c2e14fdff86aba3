"""Plain SQL for the few reads on the comment intake's hot path.

Django's ORM compiles a query afresh each time it runs, about a millisecond of
CPU apiece for the intake's reads on the bench machine (README, Benchmark: the
posting profile), many times what the database takes to answer them. The reads
that run for every comment, whose shape never changes, are written out here once.
Only portable SQL (SQLite and PostgreSQL), parameters always bound.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Model


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def moment(value: datetime) -> Any:
    """A datetime as the backend stores it (SQLite: naive UTC text), as the ORM would pass it."""
    return connection.ops.adapt_datetimefield_value(value)


def rows(sql: str, params: Sequence[Any] = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
