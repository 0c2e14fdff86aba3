"""Fixtures shared by every kind of test: people, articles, viewers and a real Redis."""

import itertools
import os

import pytest
import redis
from django.core.cache import cache

from broadsheet.accounts.models import User
from broadsheet.accounts.viewers import Viewer
from broadsheet.articles.models import Article
from broadsheet.articles.services import article_save
from broadsheet.core.clock import now
from broadsheet.discussion.services import thread_update

_counter = itertools.count(1)
TEST_REDIS_URL = os.environ.get("BROADSHEET_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
def redis_url() -> str:
    """A running Redis for the tests that need one: skipped without it, failed under CI."""
    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        message = f"Redis is not reachable at {TEST_REDIS_URL}: {error}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return TEST_REDIS_URL


@pytest.fixture
def make_user(db):
    def make(*, display_name: str | None = None, verified: bool = True, **fields) -> User:
        n = next(_counter)
        return User.objects.create_user(
            email=fields.pop("email", f"user{n}@example.com"),
            password=fields.pop("password", "correct horse battery staple"),
            display_name=display_name or f"Reader {n}",
            email_verified_at=now() if verified else None,
            **fields,
        )

    return make


@pytest.fixture
def author(make_user) -> User:
    return make_user(display_name="Maya Okafor", is_staff=True)


@pytest.fixture
def make_article(author):
    def make(**fields) -> Article:
        n = next(_counter)
        fields.setdefault("title", f"Council votes on the harbour plan, part {n}")
        fields.setdefault("body", "The council met on *Tuesday*.\n\n> We will not be rushed.")
        fields.setdefault("author", author)
        fields.setdefault("status", "published")
        return article_save(**fields)

    return make


@pytest.fixture
def article(make_article) -> Article:
    return make_article()


@pytest.fixture
def premoderated(article):
    """The article's discussion, pre-moderated: every new comment waits for a moderator."""
    return thread_update(thread=article.thread, premoderated=True)


@pytest.fixture
def fresh_cache() -> None:
    """An empty cache: pages and thread stamps of earlier tests don't leak in."""
    cache.clear()


@pytest.fixture
def guest() -> Viewer:
    return Viewer(guest_key="guest-key-for-tests")


@pytest.fixture
def moderator(make_user) -> User:
    from django.contrib.auth.models import Permission

    user = make_user(display_name="Mo Derator")
    user.user_permissions.add(Permission.objects.get(codename="moderate_comment"))
    return User.objects.get(pk=user.pk)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """At the end of the run too, not only before it (scripts/check-browser.py)."""
    import shutil

    if shutil.which("chromium") is None:
        terminalreporter.write_sep(
            "!",
            "BROWSER TESTS WILL NOT RUN: chromium not found on PATH (apt-get install -y chromium)",
            red=True,
            bold=True,
        )
