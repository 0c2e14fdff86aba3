"""Local development (`make run`): a secret is made once in var/ so sessions survive restarts."""

import os
import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR, mailer

DEBUG = os.environ.get("DEBUG", "1") == "1"
VAR_DIR.mkdir(parents=True, exist_ok=True)
_secret_file = VAR_DIR / "secret_key"
if not os.environ.get("SECRET_KEY"):
    if not _secret_file.exists():
        _secret_file.write_text(secrets.token_urlsafe(50))
    SECRET_KEY = _secret_file.read_text().strip()
MAILERS = mailer(
    os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
)
