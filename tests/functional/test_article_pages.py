"""The public article pages: front, article, tag and author, with their head metadata."""

import json
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from broadsheet.accounts.avatars import avatar_url
from broadsheet.core.clock import now
from broadsheet.discussion.models import Thread, ThreadStatus
from broadsheet.web.formats import stamp
from broadsheet.web.views.articles import ARTICLES_PER_PAGE

pytestmark = pytest.mark.django_db

STAFF_BACKEND = "django.contrib.auth.backends.ModelBackend"


class Head(HTMLParser):
    """Collects what crawlers read: <meta>, <link> and JSON-LD scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: dict[str, list[str]] = {}
        self.json_ld: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            key = attrs.get("property") or attrs.get("name")
            self.meta.setdefault(key, []).append(attrs["content"])
        elif tag == "link":
            self.links.setdefault(attrs.get("rel"), []).append(attrs.get("href"))
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data


def head_of(response) -> Head:
    head = Head()
    head.feed(response.content.decode())
    return head


def teasers(html: str) -> list[str]:
    return re.findall(r'<h2 class="teaser-title"><a href="[^"]+">([^<]+)</a>', html)


def test_front_lists_live_articles_newest_first_with_author_time_dek_and_count(
    client, make_article
):
    base = now()
    ferry = make_article(
        title="Ferry fares rise", dek="Commuters pay more.", published_at=base - timedelta(hours=2)
    )
    harbour = make_article(title="Harbour plan passes", published_at=base - timedelta(hours=1))
    storm = make_article(title="Storm closes bridge", published_at=base - timedelta(hours=3))
    Thread.objects.filter(pk=ferry.thread_id).update(comment_count=7)
    Thread.objects.filter(pk=harbour.thread_id).update(comment_count=1)

    html = client.get(reverse("web:front")).content.decode()

    assert teasers(html) == [harbour.title, ferry.title, storm.title]
    assert "Commuters pay more." in html
    assert "7 comments" in html
    assert "1 comment<" in html
    assert "0 comments" in html
    assert stamp(ferry.published_at) in html
    assert f'href="{reverse("web:author", args=[ferry.author_id])}"' in html
    assert ferry.author.display_name in html


def test_front_hides_the_count_of_a_hidden_discussion(client, make_article):
    item = make_article(title="Quiet story")
    Thread.objects.filter(pk=item.thread_id).update(status=ThreadStatus.HIDDEN, comment_count=9)
    html = client.get(reverse("web:front")).content.decode()
    assert "Quiet story" in html
    assert "9 comments" not in html


def test_front_paginates(client, make_article, settings):
    settings.BROADSHEET_SITE_URL = "https://news.example.com"
    base = now()
    titles = [
        make_article(title=f"Story number {i:02d}", published_at=base - timedelta(minutes=i)).title
        for i in range(ARTICLES_PER_PAGE + 3)
    ]

    first = client.get(reverse("web:front"))
    second = client.get(reverse("web:front"), {"page": 2})

    assert teasers(first.content.decode()) == titles[:ARTICLES_PER_PAGE]
    assert teasers(second.content.decode()) == titles[ARTICLES_PER_PAGE:]
    assert 'rel="next" href="?page=2"' in first.content.decode()
    assert 'rel="prev" href="?page=1"' in second.content.decode()
    assert head_of(first).links["canonical"] == ["https://news.example.com/"]
    assert head_of(second).links["canonical"] == ["https://news.example.com/?page=2"]
    # A page past the end shows the last page rather than failing.
    assert teasers(client.get(reverse("web:front"), {"page": 99}).content.decode()) == titles[20:]


def test_front_has_website_json_ld(client, settings, article):
    settings.BROADSHEET_SITE_URL = "https://news.example.com"
    (data,) = [json.loads(s) for s in head_of(client.get("/")).json_ld]
    assert data["@type"] == "WebSite"
    assert data["url"] == "https://news.example.com/"


@pytest.mark.parametrize("kind", ["draft", "scheduled"])
def test_unpublished_articles_are_hidden_from_readers_and_previewed_by_staff(
    client, make_article, make_user, author, kind
):
    make_article(title="Something live")  # so the author page exists
    fields = {"status": "draft"} if kind == "draft" else {"published_at": now() + timedelta(days=1)}
    item = make_article(title="Embargoed budget leak", tags=["Budget"], **fields)

    assert client.get(item.get_absolute_url()).status_code == 404
    for url in (
        reverse("web:front"),
        reverse("web:tag", args=["budget"]),
        reverse("web:author", args=[author.pk]),
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert "Embargoed budget leak" not in page.content.decode()

    client.force_login(make_user(display_name="Just Reader"), backend=STAFF_BACKEND)
    assert client.get(item.get_absolute_url()).status_code == 404

    client.force_login(author, backend=STAFF_BACKEND)
    preview = client.get(item.get_absolute_url())
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Embargoed budget leak" in html
    assert "Preview." in html
    assert head_of(preview).meta["robots"] == ["noindex, nofollow"]
    # The front page lists what readers see, even for staff.
    assert "Embargoed budget leak" not in client.get(reverse("web:front")).content.decode()


def test_article_page_shows_byline_with_avatar_link_time_body_and_tags(
    client, make_article, author
):
    body = (
        "The council met on *Tuesday*; see [the minutes](https://example.org/minutes).\n\n"
        "> We will not be rushed.\n\n"
        "- dredging\n- tolls\n\n"
        "![The quay at dusk](https://example.org/quay.jpg)"
    )
    item = make_article(
        title="Harbour plan passes", dek="A narrow vote.", body=body, tags=["Harbour", "Budget"]
    )
    html = client.get(item.get_absolute_url()).content.decode()

    byline = re.search(
        r'<a class="byline-author" rel="author" href="(?P<href>[^"]+)">'
        r'<img class="avatar" src="(?P<src>[^"]+)"[^>]*>'
        r'<span class="byline-name">(?P<name>[^<]+)</span></a>',
        html,
    )
    assert byline, "the byline links the avatar and name to the author page"
    assert byline["href"] == reverse("web:author", args=[author.pk])
    assert byline["src"] == avatar_url(author, 48)
    assert byline["name"] == "Maya Okafor"
    assert f'datetime="{item.published_at.isoformat()}">{stamp(item.published_at)}</time>' in html
    assert "<h1>Harbour plan passes</h1>" in html
    assert '<p class="dek">A narrow vote.</p>' in html
    assert "<em>Tuesday</em>" in html
    assert "<blockquote>" in html
    assert "<li>tolls</li>" in html
    assert 'src="https://example.org/quay.jpg" alt="The quay at dusk"' in html
    assert 'href="https://example.org/minutes" rel="nofollow ugc noopener"' in html
    tag_links = re.findall(r'<a rel="tag" href="([^"]+)">([^<]+)</a>', html)
    assert tag_links == [("/tags/budget/", "Budget"), ("/tags/harbour/", "Harbour")]
    # The discussion stays below the article.
    assert html.index("</article>") < html.index('id="comments"')


def test_article_page_hides_a_hidden_discussion(client, make_article):
    item = make_article(discussion_status=ThreadStatus.HIDDEN)
    html = client.get(item.get_absolute_url()).content.decode()
    assert 'id="comments"' not in html


def test_article_head_has_absolute_canonical_opengraph_and_twitter_card(
    client, make_article, author, settings
):
    settings.BROADSHEET_SITE_URL = "https://news.example.com/"
    item = make_article(
        title="Harbour plan passes",
        slug="harbour-plan-passes",
        dek="A narrow vote after a long night.",
        tags=["Harbour", "Budget"],
        image_url="https://cdn.example.com/lead.jpg",
    )
    canonical = "https://news.example.com/articles/harbour-plan-passes/"

    # The canonical address comes from the settings, not from the Host header.
    head = head_of(client.get(item.get_absolute_url(), HTTP_HOST="evil.example"))

    assert head.links["canonical"] == [canonical]
    assert head.meta["og:url"] == [canonical]
    assert head.meta["og:type"] == ["article"]
    assert head.meta["og:title"] == ["Harbour plan passes"]
    assert head.meta["og:description"] == ["A narrow vote after a long night."]
    assert head.meta["og:image"] == ["https://cdn.example.com/lead.jpg"]
    assert head.meta["article:published_time"] == [item.published_at.isoformat()]
    assert head.meta["article:author"] == [f"https://news.example.com/authors/{author.pk}/"]
    assert head.meta["article:tag"] == ["Budget", "Harbour"]
    assert head.meta["twitter:card"] == ["summary_large_image"]
    assert head.meta["twitter:title"] == ["Harbour plan passes"]
    assert head.meta["twitter:image"] == ["https://cdn.example.com/lead.jpg"]
    assert "robots" not in head.meta


def test_article_without_image_or_dek_falls_back(client, make_article):
    item = make_article(dek="", body="The ferry was late again.\n\nNobody was surprised.")
    head = head_of(client.get(item.get_absolute_url()))
    assert "og:image" not in head.meta
    assert head.meta["twitter:card"] == ["summary"]
    assert head.meta["og:description"] == ["The ferry was late again. Nobody was surprised."]


def test_article_json_ld_is_a_news_article(client, make_article, author, settings):
    settings.BROADSHEET_SITE_URL = "https://news.example.com"
    item = make_article(title="Storm closes bridge", dek="Winds of 90 km/h.", tags=["Weather"])
    Thread.objects.filter(pk=item.thread_id).update(comment_count=4)

    (data,) = [json.loads(s) for s in head_of(client.get(item.get_absolute_url())).json_ld]

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Storm closes bridge"
    assert data["description"] == "Winds of 90 km/h."
    assert data["url"] == f"https://news.example.com{item.get_absolute_url()}"
    assert data["mainEntityOfPage"]["@id"] == data["url"]
    assert data["datePublished"] == item.published_at.isoformat()
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Maya Okafor",
            "url": f"https://news.example.com/authors/{author.pk}/",
        }
    ]
    assert data["keywords"] == ["Weather"]
    assert data["commentCount"] == 4
    assert data["publisher"]["name"] == settings.BROADSHEET_SITE_NAME


def test_a_title_cannot_break_out_of_the_json_ld_script(client, make_article):
    evil = "Breaking </script><script>alert(1)</script>"
    dek = '"><img src=x onerror=alert(2)> & </SCRIPT>'
    item = make_article(title=evil, dek=dek, slug="breaking", tags=["</script>x"])
    response = client.get(item.get_absolute_url())
    html = response.content.decode()

    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "</SCRIPT>" not in html
    head = head_of(response)
    (data,) = [json.loads(s) for s in head.json_ld]
    assert data["headline"] == evil
    assert data["description"] == dek
    assert head.meta["og:title"] == [evil]


def test_tag_page_lists_only_live_articles_with_that_tag(client, make_article):
    make_article(title="Dredging starts", tags=["Harbour", "Budget"])
    make_article(title="Council tax frozen", tags=["Budget"])
    make_article(title="Harbour draft", tags=["Harbour"], status="draft")

    response = client.get(reverse("web:tag", args=["harbour"]))

    html = response.content.decode()
    assert teasers(html) == ["Dredging starts"]
    assert '<h1 id="tag-title">Harbour</h1>' in html
    assert head_of(response).links["alternate"][-2:] == [
        "/tags/harbour/rss/",
        "/tags/harbour/atom/",
    ]
    assert client.get(reverse("web:tag", args=["no-such-tag"])).status_code == 404


def test_author_page_shows_avatar_bio_and_only_their_live_articles(client, make_article, make_user):
    sam = make_user(display_name="Sam Reyes", is_staff=True, bio="Covers the port.\n\nEx-Gazette.")
    make_article(author=sam, title="Tolls go up")
    make_article(author=sam, title="Tolls draft", status="draft")
    make_article(title="Someone else writes")

    html = client.get(reverse("web:author", args=[sam.pk])).content.decode()

    assert '<h1 id="author-title">Sam Reyes</h1>' in html
    assert "<p>Covers the port.</p>" in html
    assert "<p>Ex-Gazette.</p>" in html
    assert f'src="{avatar_url(sam, 128)}"' in html
    assert teasers(html) == ["Tolls go up"]


def test_people_without_live_articles_have_no_author_page(client, make_article, make_user):
    reader = make_user()
    scheduled = make_user(is_staff=True)
    make_article(author=scheduled, published_at=now() + timedelta(hours=3))
    assert client.get(reverse("web:author", args=[reader.pk])).status_code == 404
    assert client.get(reverse("web:author", args=[scheduled.pk])).status_code == 404


def test_front_page_query_count_is_fixed(client, make_article, django_assert_num_queries):
    for _ in range(25):
        make_article(tags=["Harbour"])
    # One count for the paginator, one select of the page with authors and threads.
    with django_assert_num_queries(2):
        response = client.get(reverse("web:front"))
    assert len(teasers(response.content.decode())) == ARTICLES_PER_PAGE


def test_tag_and_author_page_query_counts_are_fixed(
    client, make_article, author, django_assert_num_queries
):
    for _ in range(25):
        make_article(tags=["Harbour"])
    # The tag (or author), the paginator's count, the page.
    with django_assert_num_queries(3):
        assert client.get(reverse("web:tag", args=["harbour"])).status_code == 200
    with django_assert_num_queries(3):
        assert client.get(reverse("web:author", args=[author.pk])).status_code == 200
