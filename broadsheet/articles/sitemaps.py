"""The sitemap's sections: front page, live articles, tags and authors that have them.

Every location is absolute on `BROADSHEET_SITE_URL` (the request's Host is not
trusted to name the site), and only what a guest reader can open is listed.
"""

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from broadsheet.accounts.models import User

from . import selectors
from .models import Article, Tag


class SiteSitemap(Sitemap):
    """Builds locations on the configured site address rather than the request's."""

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.BROADSHEET_SITE_URL).scheme or "https"

    def get_domain(self, site=None) -> str:
        parts = urlsplit(settings.BROADSHEET_SITE_URL.rstrip("/"))
        return f"{parts.netloc}{parts.path}"


class FrontSitemap(SiteSitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self) -> list[str]:
        return ["web:front"]

    def location(self, item: str) -> str:
        return reverse(item)


class ArticleSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 0.8
    limit = 5000

    def items(self) -> QuerySet[Article]:
        return (
            selectors.articles_live()
            .select_related(None)
            .only("slug", "published_at", "updated_at")
        )

    def lastmod(self, item: Article) -> datetime:
        return max(item.updated_at, item.published_at)


class TagSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 0.4

    def items(self) -> QuerySet[Tag]:
        return selectors.tags_live()


class AuthorSitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 0.3

    def items(self) -> QuerySet[User]:
        return selectors.authors_live().only("pk")

    def location(self, item: User) -> str:
        return reverse("web:author", kwargs={"author_id": item.pk})


SITEMAPS: dict[str, type[Sitemap]] = {
    "front": FrontSitemap,
    "articles": ArticleSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}
