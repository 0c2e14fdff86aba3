import os
import threading

import django

from broadsheet.core.memory import limit_malloc_arenas

# Before any thread allocates (core/memory.py).
limit_malloc_arenas()

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
django.setup(set_prefix=False)

from broadsheet.web.handler import SyncChainHandler  # noqa: E402

# Django's ASGI handler, with its middleware run in one thread hop (web/handler.py).
django_application = SyncChainHandler()

# Cached anonymous article pages are answered before Django's stack (web/fast_pages.py);
# the rest runs Django's views a few at a time per process (web/concurrency.py).
from django.conf import settings  # noqa: E402

from broadsheet.web.concurrency import ViewConcurrency  # noqa: E402
from broadsheet.web.fast_pages import FastPages  # noqa: E402

application = FastPages(ViewConcurrency(django_application, settings.BROADSHEET_VIEW_CONCURRENCY))

# The two models' weights take a moment to load, and SQLite's planner
# wants fresh statistics (core/planner_stats.py): both now, beside the server starting,
# so no request waits for them.
from django.db import connections  # noqa: E402

from broadsheet.classifiers import learned, toxicity  # noqa: E402
from broadsheet.core.planner_stats import refresh_planner_stats  # noqa: E402


def _warm_up() -> None:
    toxicity.warm_up()
    learned.warm_up()
    try:
        refresh_planner_stats()
    finally:
        connections.close_all()


threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
