"""The production profile with every cache read a miss: the benchmark's "cold" server.

The cold first page under load is served by the same code and settings as
production except Django's cache, replaced by DummyCache: every lookup misses
and every store is dropped, as if the cache were cleared before each request,
whatever the site caches and however it keys it. (bench/run.py also measures
single requests with the real cache cleared before each one.)
"""

from config.settings.production import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
