"""Statistics for SQLite's query planner.

SQLite keeps none until ANALYZE runs, and without them its planner guesses which
index to use. On a big thread it guessed wrong: the first page's replies were read
through a (thread, ...) index, every comment of the thread (131 ms cold at 10,000
comments), instead of the page's subtrees through (root, path) (5 ms). ANALYZE with
a bounded sample (analysis_limit) costs milliseconds even on a large database, so it
runs whenever the data may have changed shape: after migrations, bulk loads (demo,
imports) and at each app process start. PostgreSQL's autovacuum keeps its own.
"""

from django.db import connections

# Rows sampled per index: enough for the planner, cheap on any size of table.
ANALYSIS_LIMIT = 1000


def refresh_planner_stats(using: str = "default") -> bool:
    """Runs a bounded ANALYZE on SQLite; True if it ran."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
    return True
