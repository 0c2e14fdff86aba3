"""The test suite: fast hashing, mail kept in memory, tasks run in-process."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "test-secret-key-not-for-production-" + "x" * 30
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# The reader model's holds after the fact are tested where they are the subject
# (test_reader_check.py turns it on); elsewhere a test's comment stays as the intake left it.
BROADSHEET_READER_MODEL = False
MEDIA_ROOT = Path(tempfile.gettempdir()) / "broadsheet-test-media"
AXES_FAILURE_LIMIT = 5
# WhiteNoise wants the directory to exist; tests never collect static files into it.
STATIC_ROOT = Path(tempfile.gettempdir()) / "broadsheet-test-static"
STATIC_ROOT.mkdir(exist_ok=True)

# A file, not SQLite's shared-cache memory database, so that tests with real
# concurrent connections meet the same locking as production (WAL, IMMEDIATE).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"broadsheet-test-{os.getpid()}.sqlite3")
    }

# Most tests post many comments quickly from one client; the rate-limit tests set real limits.
BROADSHEET_RATE_LIMITS = {
    "address": [(10_000, 60)],
    "author": [(10_000, 60)],
    "thread": [(10_000, 60)],
}

# Sampled housekeeping off, so that tests counting queries count the same every run:
# the database cache's cull check and the rate counters' purge (their own tests turn
# them on).
BROADSHEET_RATE_COUNTER_PURGE_ONE_IN = 0
if CACHES["default"]["BACKEND"] == "broadsheet.core.db_cache.DatabaseCache":  # noqa: F405
    CACHES["default"]["OPTIONS"]["CULL_CHECK_ONE_IN"] = 0  # noqa: F405
