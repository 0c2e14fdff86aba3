"""Writes of articles. The admin, the demo command and importers all come through here."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from broadsheet.accounts.models import User
from broadsheet.core.clock import now
from broadsheet.core.markup import render_article
from broadsheet.discussion.models import ThreadStatus
from broadsheet.discussion.services import thread_get_or_create, thread_update
from broadsheet.discussion.stamps import stamp_bump

from .models import Article, ArticleStatus, Tag


def article_thread_key(slug: str) -> str:
    """The canonical URL of an article's page, which keys its discussion."""
    return f"{settings.BROADSHEET_SITE_URL.rstrip('/')}/articles/{slug}/"


# How much of a story its discussion's topic keeps: the opening carries its vocabulary.
TOPIC_CHARACTERS = 3000


def article_topic(*, dek: str, body: str) -> str:
    """The words the off-topic check compares comments with: the dek and the body's opening."""
    return f"{dek}\n{body}".strip()[:TOPIC_CHARACTERS]


def tags_get_or_create(*, names: Iterable[str | Tag]) -> list[Tag]:
    """Tags by name, made when new; Tag objects (chosen in the admin) pass through as they are."""
    tags = []
    for name in names:
        if isinstance(name, Tag):
            tags.append(name)
            continue
        name = name.strip()
        if name:
            tag, _ = Tag.objects.get_or_create(slug=slugify(name)[:60], defaults={"name": name})
            tags.append(tag)
    return tags


def article_save(
    *,
    article: Article | None = None,
    title: str,
    body: str,
    author: User,
    slug: str = "",
    dek: str = "",
    status: ArticleStatus | str = ArticleStatus.DRAFT,
    published_at: datetime | None = None,
    tags: Iterable[str | Tag] = (),
    image_url: str = "",
    discussion_status: ThreadStatus | str | None = None,
    premoderated: bool | None = None,
) -> Article:
    """Creates or updates an article; its Markdown is rendered once, here.

    `article` may be an unsaved instance (the admin builds one from its form);
    it gets its thread here like a new article does.
    """
    slug = slug or slugify(title)[:200]
    with transaction.atomic():
        if article is None:
            article = Article()
        if article.thread_id is None:
            article.thread = thread_get_or_create(key=article_thread_key(slug), title=title)
        article.title = title
        article.slug = slug
        article.dek = dek
        article.author = author
        article.body_source = body
        article.body_html = render_article(body)
        article.status = ArticleStatus(status)
        article.published_at = published_at or article.published_at or now()
        article.image_url = image_url
        article.updated_at = now()
        article.save()
        article.tags.set(tags_get_or_create(names=tags))
        # Its cached pages are stale now (web/fast_pages.py reads the stamp).
        stamp_bump(thread_id=article.thread_id)
        thread = article.thread
        key = article_thread_key(slug)
        topic = article_topic(dek=dek, body=body)
        if (thread.key, thread.title, thread.topic) != (key, title, topic):
            thread.key = key
            thread.title = title
            thread.topic = topic
            thread.save(update_fields=["key", "title", "topic"])
        if discussion_status is not None or premoderated is not None:
            thread_update(thread=thread, status=discussion_status, premoderated=premoderated)
    return article
