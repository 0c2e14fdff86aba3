"""RSS and Atom feeds (site-wide and per tag) and the sitemap.

Feeds list live articles only (the same selector as the front page). Links and
guids are absolute on `BROADSHEET_SITE_URL`, so a feed reader keeps one id per
article whatever host name the feed was fetched through.
"""

from datetime import datetime

from django.conf import settings
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from broadsheet.articles import selectors
from broadsheet.articles.metadata import absolute_url, article_description, author_url
from broadsheet.articles.models import Article, Tag
from broadsheet.articles.sitemaps import SITEMAPS
from broadsheet.core.errors import NotFound

FEED_LENGTH = 30


class LatestRssFeed(Feed):
    """The newest live articles across the site."""

    feed_url_name = "web:feed-rss"

    def title(self) -> str:
        return settings.BROADSHEET_SITE_NAME

    def description(self) -> str:
        return f"The latest articles from {settings.BROADSHEET_SITE_NAME}."

    def link(self) -> str:
        return absolute_url(reverse("web:front"))

    def feed_url(self) -> str:
        return absolute_url(reverse(self.feed_url_name))

    def articles(self) -> QuerySet[Article]:
        return selectors.articles_live()

    def items(self) -> list[Article]:
        return list(self.articles().prefetch_related("tags")[:FEED_LENGTH])

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return article_description(item)

    def item_link(self, item: Article) -> str:
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item: Article) -> str:
        return self.item_link(item)

    item_guid_is_permalink = True

    def item_author_name(self, item: Article) -> str:
        return item.author.display_name

    def item_author_link(self, item: Article) -> str:
        return author_url(item.author)

    def item_pubdate(self, item: Article) -> datetime:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime:
        return max(item.updated_at, item.published_at)

    def item_categories(self, item: Article) -> list[str]:
        return [tag.name for tag in item.tags.all()]


class LatestAtomFeed(LatestRssFeed):
    feed_type = Atom1Feed
    feed_url_name = "web:feed-atom"

    def subtitle(self) -> str:
        return self.description()


class TagRssFeed(LatestRssFeed):
    """The newest live articles filed under one tag."""

    feed_url_name = "web:tag-feed-rss"

    def get_object(self, request: HttpRequest, slug: str) -> Tag:
        try:
            return selectors.tag_get(slug=slug)
        except NotFound as error:
            raise Http404(error.message) from None

    def title(self, obj: Tag) -> str:
        return f"{settings.BROADSHEET_SITE_NAME}: {obj.name}"

    def description(self, obj: Tag) -> str:
        return f"The latest articles about {obj.name} from {settings.BROADSHEET_SITE_NAME}."

    def link(self, obj: Tag) -> str:
        return absolute_url(obj.get_absolute_url())

    def feed_url(self, obj: Tag) -> str:
        return absolute_url(reverse(self.feed_url_name, kwargs={"slug": obj.slug}))

    def items(self, obj: Tag) -> list[Article]:
        return list(selectors.articles_by_tag(tag=obj).prefetch_related("tags")[:FEED_LENGTH])


class TagAtomFeed(TagRssFeed):
    feed_type = Atom1Feed
    feed_url_name = "web:tag-feed-atom"

    def subtitle(self, obj: Tag) -> str:
        return self.description(obj)


def sitemap(request: HttpRequest) -> HttpResponse:
    """`/sitemap.xml`: the front page, live articles, and the tag and author pages."""
    return sitemap_view(request, sitemaps=SITEMAPS)
