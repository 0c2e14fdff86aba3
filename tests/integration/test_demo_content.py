"""`manage.py demo`: a site that looks lived in, built through the app's own write paths.

The demo is built once for the module inside a transaction that is rolled back
afterwards (each test runs in a savepoint within it), so the other test files
never see it and the module pays for one build, not one per test.
"""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Max, Q

from broadsheet.accounts.models import User
from broadsheet.accounts.viewers import MODERATE_PERMISSION
from broadsheet.articles.models import Article
from broadsheet.articles.selectors import articles_live
from broadsheet.core.clock import now
from broadsheet.demo.people import ADMIN_EMAIL, DEMO_PASSWORD
from broadsheet.demo.stories import HUGE_STORY, STORIES
from broadsheet.discussion.models import Comment, CommentStatus, Thread

BREAKING = max(STORIES, key=lambda s: s.comments).slug


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("demo", stdout=out, stderr=StringIO())
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db) -> str:
    return demo_output


def _published(slug: str):
    return Comment.objects.filter(thread__article__slug=slug, status=CommentStatus.PUBLISHED)


def _site_counts() -> tuple[int, int, int]:
    return Article.objects.count(), Comment.objects.count(), User.objects.count()


def test_the_command_reports_what_it_built_and_the_admin_login(demo):
    assert "Demo content: 10 articles" in demo
    assert f"Admin login: {ADMIN_EMAIL} / {DEMO_PASSWORD}" in demo


def test_at_least_eight_live_articles_by_three_authors_with_avatars(demo):
    live = articles_live()
    assert live.count() >= 8
    authors = User.objects.filter(articles__in=live).distinct()
    assert authors.count() == 3
    for author in authors:
        assert author.is_staff and author.email_verified and author.bio
        assert author.avatar_key, f"{author} kept the identicon"
    assert Article.objects.filter(published_at__gt=now()).exists(), "a scheduled story"
    assert Article.objects.filter(status="draft").exists()


def test_article_bodies_have_quotes_lists_and_links(demo):
    for article in articles_live():
        assert "<p>" in article.body_html
        assert "<blockquote>" in article.body_html, article.slug
        assert "<li>" in article.body_html, article.slug
        assert "<a href=" in article.body_html, article.slug
        assert article.dek and article.tags.exists()


def test_staff_logins(demo):
    admin = User.objects.get(email=ADMIN_EMAIL)
    assert admin.is_superuser and admin.email_verified and admin.display_name == "Demo Admin"
    assert admin.check_password(DEMO_PASSWORD)
    moderator = User.objects.get(email="moderator@example.com")
    assert moderator.has_perm(MODERATE_PERMISSION) and moderator.email_verified


def test_the_breaking_story_draws_a_crowd(demo):
    comments = _published(BREAKING)
    total = comments.count()
    assert total >= 1000
    members = comments.exclude(author=None).values("author").distinct().count()
    guests = comments.filter(author=None).values("guest_name").distinct().count()
    assert members + guests >= 200
    guest_share = comments.filter(author=None).count() / total
    assert 0.25 <= guest_share <= 0.45
    assert User.objects.filter(comments__in=comments, email_verified_at=None).count() == 0
    assert comments.aggregate(deepest=Max("depth"))["deepest"] >= 10
    assert comments.filter(upvotes__gt=0).exists() and comments.filter(downvotes__gt=0).exists()


def test_the_other_stories_have_up_to_eighty_comments(demo):
    for article in Article.objects.exclude(slug=BREAKING):
        assert 0 <= _published(article.slug).count() <= 80


def test_replies_quote_earlier_comments(demo):
    quoting = _published(BREAKING).filter(body_html__contains="<blockquote>")
    assert quoting.count() >= 20
    sample = quoting.exclude(parent=None).select_related("parent").first()
    quoted = sample.body_source.split("\n> ", 1)[1].split("\n")[0]
    assert quoted in sample.parent.body_source


def test_stored_counts_match_published_comments(demo):
    threads = Thread.objects.annotate(
        published=Count("comments", filter=Q(comments__status=CommentStatus.PUBLISHED))
    )
    for thread in threads:
        assert thread.comment_count == thread.published
        assert thread.top_level_count == thread.comments.filter(depth=0).count()


def test_comments_come_after_their_story_and_their_parent(demo):
    assert not Comment.objects.filter(created_at__lte=F("parent__created_at")).exists()
    assert not Comment.objects.filter(created_at__lt=F("thread__article__published_at")).exists()
    assert not Comment.objects.filter(created_at__gt=now()).exists()
    times = list(_published(BREAKING).values_list("created_at", flat=True))
    assert max(times) - min(times) > timedelta(hours=3), "spread over the hours after publication"


def test_bodies_are_varied_and_not_placeholders(demo):
    bodies = list(_published(BREAKING).values_list("body_source", flat=True))
    assert len(set(bodies)) >= 0.95 * len(bodies)
    assert not any("Comment #" in body for body in bodies)
    assert all(body.strip() for body in bodies)


def test_if_empty_adds_nothing_the_second_time(demo):
    before = _site_counts()
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert _site_counts() == before
    assert "no demo content added" in out.getvalue()


def test_running_it_again_adds_only_what_is_missing(demo):
    before = _site_counts()
    call_command("demo", stdout=StringIO(), stderr=StringIO())
    assert _site_counts() == before


def test_huge_builds_a_ten_thousand_comment_thread(demo):
    call_command("demo", "--huge", stdout=StringIO(), stderr=StringIO())
    thread = Thread.objects.get(article__slug=HUGE_STORY.slug)
    published = _published(HUGE_STORY.slug).count()
    assert published >= 10_000
    assert thread.comment_count == published
