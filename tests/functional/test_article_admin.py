"""Editors in the Django admin: articles go through article_save, threads through thread_update."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse

from broadsheet.accounts.models import User
from broadsheet.articles.models import Article, ArticleStatus, Tag
from broadsheet.articles.services import article_thread_key
from broadsheet.core.clock import now
from broadsheet.discussion.models import Thread, ThreadStatus

pytestmark = pytest.mark.django_db

BACKEND = "django.contrib.auth.backends.ModelBackend"
ADD_URL = "admin:articles_article_add"


@pytest.fixture
def editor(db) -> User:
    return User.objects.create_superuser(
        email="editor@example.com", password="x" * 20, display_name="Eda Editor"
    )


@pytest.fixture
def desk(client, editor):
    client.force_login(editor, backend=BACKEND)
    return client


def article_form(author: User, **overrides) -> dict:
    data = {
        "title": "Harbour plan passes",
        "slug": "harbour-plan-passes",
        "dek": "A narrow vote after a long night.",
        "body_source": "The council met on *Tuesday*.\n\n> We will not be rushed.\n\n- one\n- two",
        "image_url": "",
        "author": str(author.pk),
        "status": ArticleStatus.PUBLISHED,
        "published_at_0": "2025-03-04",
        "published_at_1": "09:30:00",
        "discussion": ThreadStatus.CLOSED,
        "premoderated": "on",
        "_save": "Save",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def form_errors(response) -> str:
    if response.status_code != 200 or response.context is None:
        return ""
    return str(response.context["adminform"].form.errors)


@pytest.mark.parametrize("discussion", [ThreadStatus.CLOSED, ThreadStatus.HIDDEN])
def test_admin_add_renders_the_body_and_creates_the_thread(desk, editor, discussion):
    budget = Tag.objects.create(name="Budget", slug="budget")

    response = desk.post(
        reverse(ADD_URL), article_form(editor, tags=[str(budget.pk)], discussion=discussion)
    )

    assert response.status_code == 302, form_errors(response)
    item = Article.objects.select_related("thread").get(slug="harbour-plan-passes")
    assert item.body_html == (
        "<p>The council met on <em>Tuesday</em>.</p>\n"
        "<blockquote>\n<p>We will not be rushed.</p>\n</blockquote>\n"
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    )
    assert item.author == editor
    assert item.status == ArticleStatus.PUBLISHED
    expected = datetime(2025, 3, 4, 9, 30, tzinfo=ZoneInfo(settings.TIME_ZONE))
    assert item.published_at == expected
    assert list(item.tags.all()) == [budget]
    assert item.thread.key == article_thread_key("harbour-plan-passes")
    assert item.thread.title == "Harbour plan passes"
    assert item.thread.status == discussion
    assert item.thread.premoderated is True


def test_admin_add_form_offers_the_discussion_and_defaults_the_author(desk, editor):
    html = desk.get(reverse(ADD_URL)).content.decode()
    assert 'name="discussion"' in html
    assert 'name="premoderated"' in html
    assert "Pre-moderate discussion" in html
    assert f'<option value="{editor.pk}" selected>' in html


def test_admin_refuses_a_taken_slug_without_writing_anything(desk, editor, make_article):
    make_article(slug="harbour-plan-passes")
    threads = Thread.objects.count()

    response = desk.post(reverse(ADD_URL), article_form(editor))

    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert Article.objects.count() == 1
    assert Thread.objects.count() == threads


def test_admin_edit_of_the_slug_moves_the_thread_key(desk, editor, make_article):
    item = make_article(title="Harbour plan", slug="harbour-plan", premoderated=True)
    thread_pk = item.thread_id
    url = reverse("admin:articles_article_change", args=[item.pk])

    page = desk.get(url).content.decode()
    assert '<option value="open" selected>' in page
    assert re.search(r'<input type="checkbox" name="premoderated"[^>]* checked>', page)

    response = desk.post(
        url,
        article_form(
            editor,
            title="Harbour plan approved",
            slug="harbour-plan-approved",
            discussion=ThreadStatus.OPEN,
            premoderated=None,
            body_source="Now *approved*.",
        ),
    )

    assert response.status_code == 302, form_errors(response)
    item = Article.objects.select_related("thread").get(pk=item.pk)
    assert item.thread_id == thread_pk
    assert item.thread.key == article_thread_key("harbour-plan-approved")
    assert item.thread.title == "Harbour plan approved"
    assert item.thread.premoderated is False
    assert item.body_html == "<p>Now <em>approved</em>.</p>"
    assert not Thread.objects.filter(key=article_thread_key("harbour-plan")).exists()
    assert desk.get(item.get_absolute_url()).status_code == 200


def test_admin_list_shows_comment_count_and_discussion_state(desk, make_article):
    item = make_article(title="Counted story", discussion_status=ThreadStatus.CLOSED)
    Thread.objects.filter(pk=item.thread_id).update(comment_count=12)

    html = desk.get(reverse("admin:articles_article_changelist")).content.decode()

    assert "Counted story" in html
    assert '<td class="field-comment_count">12</td>' in html
    assert '<td class="field-discussion_state">Closed</td>' in html


def test_admin_publication_filter_separates_live_scheduled_and_draft(desk, make_article):
    make_article(title="Live one")
    make_article(title="Later one", published_at=now() + timedelta(days=1))
    make_article(title="Draft one", status="draft")
    url = reverse("admin:articles_article_changelist")

    for value, expected in [
        ("live", "Live one"),
        ("scheduled", "Later one"),
        ("draft", "Draft one"),
    ]:
        html = desk.get(url, {"publication": value}).content.decode()
        shown = {t for t in ("Live one", "Later one", "Draft one") if f">{t}</a>" in html}
        assert shown == {expected}, value


def test_thread_admin_changes_status_through_thread_update(desk, article):
    thread = article.thread
    version = thread.version
    url = reverse("admin:discussion_thread_change", args=[thread.pk])
    assert desk.get(url).status_code == 200

    response = desk.post(
        url, {"status": ThreadStatus.CLOSED, "premoderated": "on", "_save": "Save"}
    )

    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.CLOSED
    assert thread.premoderated is True
    assert thread.version == version + 1  # thread_update bumps the version caches key on


def test_thread_admin_cannot_add_or_delete_threads(desk, article):
    assert desk.get(reverse("admin:discussion_thread_add")).status_code == 403
    delete = reverse("admin:discussion_thread_delete", args=[article.thread_id])
    assert desk.post(delete, {"post": "yes"}).status_code == 403
    assert Thread.objects.filter(pk=article.thread_id).exists()


def test_admin_is_for_staff_only(client, make_user, article):
    client.force_login(make_user(), backend=BACKEND)
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
