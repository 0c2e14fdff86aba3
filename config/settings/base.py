"""Settings shared by every profile; what an operator may change comes from the environment."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("BROADSHEET_VAR_DIR", BASE_DIR / "var"))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_tasks_db",
    "axes",
    "corsheaders",
    "broadsheet.core",
    "broadsheet.classifiers",
    "broadsheet.accounts",
    "broadsheet.discussion",
    "broadsheet.notifications",
    "broadsheet.moderation",
    "broadsheet.articles",
    "broadsheet.sites",
    "broadsheet.importers",
    "broadsheet.portability",
    "broadsheet.demo",
    "broadsheet.api",
    "broadsheet.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "broadsheet.web.middleware.StrictUTF8FormMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "broadsheet.web.middleware.EmbedTokenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Cross-origin reads: only the comment counts, and only for embedding sites' pages
# (broadsheet.web.cors decides by the Site table).
CORS_URLS_REGEX = r"^/api/v1/threads/counts$"
CORS_ALLOW_METHODS = ["GET", "OPTIONS"]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "broadsheet.web.context_processors.site",
            ],
        },
    },
    {
        # Only the comment markup (broadsheet/web/jinja2/): see broadsheet/web/comment_html.py.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "broadsheet.web.comment_html.environment"},
    },
]

# Storage: SQLite (WAL) on one box, PostgreSQL through DATABASE_URL past it.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'broadsheet.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A connection pool per process: no new connection per request (ASGI runs
    # sync views in threads, so persistent connections don't fit; a pool does).
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": int(os.environ.get("DATABASE_POOL_MIN", "2")),
            "max_size": int(os.environ.get("DATABASE_POOL_MAX", "20")),
            "timeout": 10,
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Kept open by the app's view threads (web/handler.py): opening one parses the schema.
    DATABASES["default"]["CONN_MAX_AGE"] = None
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write
        # lock at BEGIN so two writers queue instead of failing on upgrade.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Several app processes must agree on cached state, so never a per-process cache.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's backend, keeping its redis client (core/redis_cache.py).
            "BACKEND": "broadsheet.core.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "broadsheet"),
        }
    }
else:
    CACHES = {
        "default": {
            # Django's, with `set` as one upsert (core/db_cache.py).
            "BACKEND": "broadsheet.core.db_cache.DatabaseCache",
            "LOCATION": "broadsheet_cache",
            # Django culls a third of the table, live rows included, once it holds
            # more than MAX_ENTRIES rows (default 300). Under a flood of posts every
            # page version is a row, so the default culled on nearly every write,
            # taking thread stamps with it. Expired rows go first at each cull.
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    }

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": [],
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:front"
LOGOUT_REDIRECT_URL = "web:front"

# Login throttling: five failures per account-and-address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = None
AXES_CLIENT_IP_CALLABLE = "broadsheet.web.client.axes_client_address"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# The app serves uploaded media itself unless a proxy does (set to 0 there).
BROADSHEET_SERVE_MEDIA = os.environ.get("BROADSHEET_SERVE_MEDIA", "1") == "1"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440


def mailer(backend: str) -> dict:
    """A MAILERS entry for a backend path, with its options from the environment."""
    if backend.endswith("smtp.EmailBackend"):
        options = {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": os.environ.get("EMAIL_USE_TLS", "0") == "1",
        }
    elif backend.endswith("filebased.EmailBackend"):
        options = {"file_path": str(os.environ.get("EMAIL_FILE_PATH", VAR_DIR / "mail"))}
    else:
        options = {}
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


MAILERS = mailer(os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Broadsheet <noreply@localhost>")

# Which proxies' X-Forwarded-For is believed: an explicit list of addresses.
BROADSHEET_TRUSTED_PROXIES = env_list("BROADSHEET_TRUSTED_PROXIES")
BROADSHEET_SITE_NAME = os.environ.get("BROADSHEET_SITE_NAME", "The Broadsheet")
BROADSHEET_SITE_URL = os.environ.get("BROADSHEET_SITE_URL", "http://127.0.0.1:8000")
BROADSHEET_COMMENT_MAX_LENGTH = 10_000
BROADSHEET_GUEST_NAME_MAX_LENGTH = 50
BROADSHEET_EDIT_WINDOW_SECONDS = 15 * 60
BROADSHEET_PAGE_TOP_LEVEL = 50
BROADSHEET_PAGE_MAX_COMMENTS = 300
BROADSHEET_MAX_INDENT = 6
BROADSHEET_MAX_DEPTH = 250
# Shared pages keep each comment's markup in the process (web/comment_html.py); off under
# DEBUG (templates reload) and in the benchmark's cold profile.
BROADSHEET_KEEP_COMMENT_MARKUP = True
# Requests per app process running Django's view code at once (web/concurrency.py):
# views hold the GIL, so a few at a time serve as fast as many, with less memory.
BROADSHEET_VIEW_CONCURRENCY = int(os.environ.get("BROADSHEET_VIEW_CONCURRENCY", "4"))
# Reader flags: a comment whose open flags weigh this much (by the reporters'
# trust, moderation/flags.py) is held until a moderator decides.
BROADSHEET_FLAG_HIDE_WEIGHT = float(os.environ.get("BROADSHEET_FLAG_HIDE_WEIGHT", "3"))
# The reader model (classifiers/reader.py) judges published comments in the worker and can
# hold one after the fact; "0" turns it off (the worker then needs no model in memory).
BROADSHEET_READER_MODEL = os.environ.get("BROADSHEET_READER_MODEL", "1") == "1"
# Flags per hour: a guest (by browser token, and by address hash), a member.
# One rate-limit count in this many also purges stale counter rows (moderation/ratelimits.py).
BROADSHEET_RATE_COUNTER_PURGE_ONE_IN = 500
BROADSHEET_FLAG_LIMITS = {"guest": 5, "address": 10, "member": 30}
# Live updates: readers poll the event table this often without Redis; with it,
# pub/sub on channels under the prefix (pub/sub ignores the Redis db number, so
# installs sharing a Redis need distinct prefixes). Streams end after a lifetime
# (the browser reconnects and resumes) and send a heartbeat so proxies keep them.
BROADSHEET_LIVE_POLL_SECONDS = float(os.environ.get("BROADSHEET_LIVE_POLL_SECONDS", "1"))
BROADSHEET_LIVE_CHANNEL_PREFIX = os.environ.get(
    "BROADSHEET_LIVE_CHANNEL_PREFIX", os.environ.get("CACHE_KEY_PREFIX", "broadsheet") + ":live:"
)
BROADSHEET_LIVE_STREAM_SECONDS = float(os.environ.get("BROADSHEET_LIVE_STREAM_SECONDS", "300"))
BROADSHEET_LIVE_HEARTBEAT_SECONDS = float(os.environ.get("BROADSHEET_LIVE_HEARTBEAT_SECONDS", "15"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A signed-in reader is known inside another site's iframe (the embed) only if the
# session cookie may go there: SameSite=None, which browsers take only with Secure
# (Chromium also on http://127.0.0.1 and localhost). On in production under HTTPS.
BROADSHEET_EMBED_COOKIES = os.environ.get("BROADSHEET_EMBED_COOKIES", "0") == "1"
if BROADSHEET_EMBED_COOKIES:
    SESSION_COOKIE_SAMESITE = "None"
    SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
AXES_VERBOSE = False
