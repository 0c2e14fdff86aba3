"""RSS and Atom feeds, site-wide and per tag, and the sitemap: live articles only."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
from django.urls import reverse
from django.utils.timezone import localdate

from broadsheet.articles.models import Article
from broadsheet.core.clock import now
from broadsheet.web.views.feeds import FEED_LENGTH

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE = "https://news.example.com"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.BROADSHEET_SITE_URL = SITE + "/"


@pytest.fixture
def stories(make_article):
    """Two live articles, a draft and a scheduled one, tagged so the tag feeds can differ."""
    base = now()
    return {
        "harbour": make_article(
            title="Harbour plan passes",
            dek="A narrow vote.",
            tags=["Harbour", "Budget"],
            published_at=base - timedelta(hours=1),
        ),
        "tax": make_article(
            title="Council tax frozen", tags=["Budget"], published_at=base - timedelta(hours=2)
        ),
        "draft": make_article(title="Harbour draft", tags=["Harbour"], status="draft"),
        "scheduled": make_article(
            title="Harbour tomorrow", tags=["Harbour"], published_at=base + timedelta(days=1)
        ),
    }


def get_xml(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    return ET.fromstring(response.content)  # noqa: S314 -- our own output


def test_rss_feed_lists_live_articles_newest_first_with_details(client, stories, author):
    channel = get_xml(client, reverse("web:feed-rss")).find("channel")

    assert channel.findtext("link") == SITE + "/"
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Harbour plan passes", "Council tax frozen"]
    first = items[0]
    url = f"{SITE}/articles/{stories['harbour'].slug}/"
    assert first.findtext("link") == url
    assert first.findtext("guid") == url
    assert first.find("guid").get("isPermaLink", "true") == "true"
    assert first.findtext("description") == "A narrow vote."
    assert first.findtext(f"{DC}creator") == "Maya Okafor"
    assert sorted(c.text for c in first.findall("category")) == ["Budget", "Harbour"]
    published = parsedate_to_datetime(first.findtext("pubDate"))
    assert published == stories["harbour"].published_at.replace(microsecond=0)


def test_atom_feed_lists_live_articles_with_ids_authors_and_categories(client, stories):
    feed = get_xml(client, reverse("web:feed-atom"))

    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Harbour plan passes",
        "Council tax frozen",
    ]
    first = entries[0]
    assert first.findtext(f"{ATOM}id") == f"{SITE}/articles/{stories['harbour'].slug}/"
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "Maya Okafor"
    assert first.findtext(f"{ATOM}summary") == "A narrow vote."
    assert sorted(c.get("term") for c in first.findall(f"{ATOM}category")) == ["Budget", "Harbour"]
    self_link = [
        link.get("href") for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"
    ]
    assert self_link == [f"{SITE}/feeds/atom/"]


def test_feeds_stop_at_the_newest_thirty(client, make_article):
    base = now()
    for i in range(FEED_LENGTH + 2):
        make_article(title=f"Story {i:02d}", published_at=base - timedelta(minutes=i))
    items = get_xml(client, reverse("web:feed-rss")).findall("channel/item")
    assert len(items) == FEED_LENGTH == 30
    assert items[0].findtext("title") == "Story 00"
    assert items[-1].findtext("title") == "Story 29"


@pytest.mark.parametrize("name", ["web:tag-feed-rss", "web:tag-feed-atom"])
def test_tag_feed_has_only_that_tags_live_articles(client, stories, name):
    root = get_xml(client, reverse(name, args=["harbour"]))
    if name.endswith("rss"):
        titles = [i.findtext("title") for i in root.findall("channel/item")]
        feed_title = root.findtext("channel/title")
    else:
        titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
        feed_title = root.findtext(f"{ATOM}title")
    assert titles == ["Harbour plan passes"]
    assert feed_title.endswith(": Harbour")

    budget = get_xml(client, reverse(name, args=["budget"]))
    count = len(budget.findall("channel/item")) + len(budget.findall(f"{ATOM}entry"))
    assert count == 2


def test_feed_of_an_unknown_tag_is_404(client):
    assert client.get(reverse("web:tag-feed-rss", args=["nothing"])).status_code == 404
    assert client.get(reverse("web:tag-feed-atom", args=["nothing"])).status_code == 404


def test_sitemap_lists_front_live_articles_their_tags_and_authors(
    client, stories, make_user, make_article
):
    lonely = make_user(display_name="Only Drafts", is_staff=True)
    make_article(author=lonely, title="Unfinished", tags=["Secret"], status="draft")

    root = get_xml(client, reverse("web:sitemap"))

    urls = {u.findtext(f"{SITEMAP}loc"): u for u in root.findall(f"{SITEMAP}url")}
    author = stories["harbour"].author
    assert set(urls) == {
        f"{SITE}/",
        f"{SITE}/articles/{stories['harbour'].slug}/",
        f"{SITE}/articles/{stories['tax'].slug}/",
        f"{SITE}/tags/budget/",
        f"{SITE}/tags/harbour/",
        f"{SITE}/authors/{author.pk}/",
    }
    # Last modified is the day of the last edit (here: now), in the site's time zone.
    lastmod = urls[f"{SITE}/articles/{stories['tax'].slug}/"].findtext(f"{SITEMAP}lastmod")
    assert lastmod == localdate(stories["tax"].updated_at).isoformat()


def test_sitemap_lastmod_is_the_later_of_edit_and_publication(client, make_article):
    item = make_article(title="Old story")
    Article.objects.filter(pk=item.pk).update(
        published_at=now() - timedelta(days=3), updated_at=now() - timedelta(days=10)
    )
    root = get_xml(client, reverse("web:sitemap"))
    (url,) = [u for u in root.findall(f"{SITEMAP}url") if item.slug in u.findtext(f"{SITEMAP}loc")]
    assert url.findtext(f"{SITEMAP}lastmod") == localdate(now() - timedelta(days=3)).isoformat()
