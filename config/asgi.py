import os
import threading

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
application = get_asgi_application()

# The offensive-language model takes a second or more to load (scikit-learn); load it now,
# beside the server starting, so no comment's posting waits for it.
from broadsheet.classifiers.toxicity import warm_up  # noqa: E402

threading.Thread(target=warm_up, name="warm-up-classifiers", daemon=True).start()
