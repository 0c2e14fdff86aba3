"""What link previews, feed readers and search engines read about our pages.

Canonical URLs are absolute and built from `BROADSHEET_SITE_URL`, never from
the request's Host header: a page reached through another name (a proxy, a
mirror, a crafted Host) must still name the one address it is known by.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator

from broadsheet.accounts.models import User
from broadsheet.discussion.models import ThreadStatus

from .models import Article

DESCRIPTION_LENGTH = 200


def absolute_url(path: str) -> str:
    """The site's public address for a path such as `get_absolute_url()` returns."""
    return f"{settings.BROADSHEET_SITE_URL.rstrip('/')}{path}"


def author_url(author: User) -> str:
    return absolute_url(reverse("web:author", kwargs={"author_id": author.pk}))


def article_description(article: Article) -> str:
    """The dek, or for an article without one the start of its text."""
    if article.dek:
        return article.dek
    return Truncator(strip_tags(article.body_html)).chars(DESCRIPTION_LENGTH).replace("\n", " ")


@dataclass(frozen=True)
class ArticleMeta:
    canonical_url: str
    author_url: str
    description: str
    published_time: str  # ISO 8601
    modified_time: str
    tags: list[str]
    json_ld: dict[str, Any]


def article_meta(*, article: Article) -> ArticleMeta:
    """Everything the article page's head says about it; `tags` must be prefetched."""
    canonical = absolute_url(article.get_absolute_url())
    by = author_url(article.author)
    description = article_description(article)
    modified = max(article.updated_at, article.published_at)
    tags = [tag.name for tag in article.tags.all()]
    json_ld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": description,
        "url": canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "datePublished": article.published_at.isoformat(),
        "dateModified": modified.isoformat(),
        "author": [{"@type": "Person", "name": article.author.display_name, "url": by}],
        "publisher": {"@type": "Organization", "name": settings.BROADSHEET_SITE_NAME},
    }
    if article.image_url:
        json_ld["image"] = [article.image_url]
    if tags:
        json_ld["keywords"] = tags
    if article.thread.status != ThreadStatus.HIDDEN:
        json_ld["commentCount"] = article.thread.comment_count
    return ArticleMeta(
        canonical_url=canonical,
        author_url=by,
        description=description,
        published_time=article.published_at.isoformat(),
        modified_time=modified.isoformat(),
        tags=tags,
        json_ld=json_ld,
    )


def website_json_ld() -> dict[str, Any]:
    """The front page's WebSite record: the site's name and address."""
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.BROADSHEET_SITE_NAME,
        "url": absolute_url(reverse("web:front")),
    }
