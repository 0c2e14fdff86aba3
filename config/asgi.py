import os
import threading

from django.core.asgi import get_asgi_application

from broadsheet.core.memory import limit_malloc_arenas

# Before any thread allocates (core/memory.py).
limit_malloc_arenas()

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
django_application = get_asgi_application()

# Cached anonymous article pages are answered before Django's stack (web/fast_pages.py);
# the rest runs Django's views a few at a time per process (web/concurrency.py).
from django.conf import settings  # noqa: E402

from broadsheet.web.concurrency import ViewConcurrency  # noqa: E402
from broadsheet.web.fast_pages import FastPages  # noqa: E402

application = FastPages(ViewConcurrency(django_application, settings.BROADSHEET_VIEW_CONCURRENCY))

# The offensive-language model takes a second or more to load (scikit-learn); load it now,
# beside the server starting, so no comment's posting waits for it.
from broadsheet.classifiers.toxicity import warm_up  # noqa: E402

threading.Thread(target=warm_up, name="warm-up-classifiers", daemon=True).start()
