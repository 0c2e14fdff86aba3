import os
import threading

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
django_application = get_asgi_application()

# Cached anonymous article pages are answered before Django's stack (web/fast_pages.py).
from broadsheet.web.fast_pages import FastPages  # noqa: E402

application = FastPages(django_application)

# The offensive-language model takes a second or more to load (scikit-learn); load it now,
# beside the server starting, so no comment's posting waits for it.
from broadsheet.classifiers.toxicity import warm_up  # noqa: E402

threading.Thread(target=warm_up, name="warm-up-classifiers", daemon=True).start()
