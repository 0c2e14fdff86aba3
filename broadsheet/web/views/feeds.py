"""RSS and Atom feeds (site-wide and per tag) and the sitemap. Placeholder until filled in."""

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.utils.feedgenerator import Atom1Feed


class LatestRssFeed(Feed):
    title = "Latest"
    link = "/"

    def items(self):
        return []


class LatestAtomFeed(LatestRssFeed):
    feed_type = Atom1Feed


class TagRssFeed(LatestRssFeed):
    def get_object(self, request, slug):
        return slug


class TagAtomFeed(TagRssFeed):
    feed_type = Atom1Feed


def sitemap(request: HttpRequest) -> HttpResponse:
    return HttpResponse("", content_type="application/xml")
