"""The bench profile with every cache read a miss: the benchmark's "cold" server.

The cold first page under load is served by the same code and settings as the
bench's production profile (bench_settings.py) except Django's cache, replaced
by DummyCache: every lookup misses and every store is dropped, as if the cache
were cleared before each request, whatever the site caches and however it keys
it; and no comment markup kept in the process (web/comment_html.py). The cold
single requests (one at a time) are measured against it too.
"""

from bench_settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
BROADSHEET_KEEP_COMMENT_MARKUP = False
