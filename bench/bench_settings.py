"""The benchmark's server profile: config.settings.production with the intake's rate limits
lifted, since every post of the load generator comes from one address (127.0.0.1).

Everything else (the checks, duplicate detection, sanitizing, caching) is as in
production. BROADSHEET_RATE_LIMITS is the intake's own override (moderation/ratelimits.py);
the limits here are far above what 2 cores can post in a bench run.
"""

from config.settings.production import *  # noqa: F403

BROADSHEET_RATE_LIMITS = {
    "address": [(1_000_000, 60)],
    "author": [(1_000_000, 60)],
    "thread": [(1_000_000, 60)],
}
