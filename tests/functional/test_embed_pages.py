"""The embed's server side: allowed pages, framing headers, token identity, cross-origin counts."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from broadsheet.accounts import embed_tokens
from broadsheet.demo.services import DemoBuild
from broadsheet.discussion.models import Comment, CommentStatus, Thread
from broadsheet.discussion.services import thread_update
from broadsheet.sites.models import Site, SiteDomain
from broadsheet.sites.services import site_create

pytestmark = pytest.mark.django_db

PAGE = "https://blog.example.com/2026/harbour-plan/"


@pytest.fixture
def site() -> Site:
    return site_create(name="Example blog", hosts=["blog.example.com", "www.example.com"])


def open_embed(client: Client, url: str = PAGE, **extra):
    return client.get(reverse("web:embed"), {"url": url, "title": "Harbour plan", **extra})


def embed_thread(client: Client, url: str = PAGE) -> Thread:
    response = open_embed(client, url)
    assert response.status_code == 302
    return Thread.objects.get(pk=int(re.search(r"/embed/threads/(\d+)/", response.url).group(1)))


def token_of(client: Client, **params) -> str:
    return client.get(reverse("web:embed-session"), params).json()["token"]


def post_through_embed(thread: Thread, token: str, body: str, **fields):
    csrf_checking = Client(enforce_csrf_checks=True)
    return csrf_checking.post(
        reverse("web:comment-post", args=[thread.pk]),
        {"body": body, **fields},
        headers={"X-Broadsheet-Embed": token, "Accept": "application/json"},
    )


def test_first_view_of_an_allowed_page_creates_its_thread_by_canonical_url(client, site):
    thread = embed_thread(client, PAGE + "?utm_source=newsletter#comments")
    assert thread.key == PAGE and thread.title == "Harbour plan"
    assert (
        embed_thread(client, "HTTPS://Blog.Example.com:443/2026/harbour-plan/?fbclid=x") == thread
    )
    assert Thread.objects.filter(key__startswith="https://blog.example.com").count() == 1


def test_a_page_of_no_allowed_site_gets_no_thread(client, site):
    response = open_embed(client, "https://elsewhere.example.net/post/")
    assert response.status_code == 403
    assert b"not on a site allowed" in response.content
    assert response["X-Frame-Options"] == "DENY"
    assert not Thread.objects.filter(key__contains="elsewhere").exists()
    site.active = False
    site.save()
    assert open_embed(client).status_code == 403
    assert open_embed(client, "javascript:alert(1)").status_code == 400


def test_only_embed_pages_may_be_framed_and_only_by_the_sites_domains(client, site, article):
    thread = embed_thread(client)
    response = client.get(reverse("web:embed-thread", args=[thread.pk]))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "frame-ancestors blog.example.com www.example.com"
    assert "X-Frame-Options" not in response
    page = client.get(article.get_absolute_url())
    assert page["X-Frame-Options"] == "DENY" and "Content-Security-Policy" not in page
    # The site's own articles are not embeddable anywhere.
    refused = client.get(reverse("web:embed-thread", args=[article.thread.pk]))
    assert refused.status_code == 403 and refused["X-Frame-Options"] == "DENY"


def test_a_guest_posts_through_the_embed_without_cookies_or_csrf(site):
    thread = embed_thread(Client())
    token = token_of(Client())
    response = post_through_embed(thread, token, "From inside the frame", name="Ana")
    assert response.status_code == 201, response.content
    comment = Comment.objects.get(pk=response.json()["id"])
    assert comment.guest_name == "Ana" and comment.author_id is None
    # The same token is the same guest: they may vote on others' comments, not their own.
    assert comment.guest_key_hash


def test_without_a_token_a_cookieless_post_is_refused_as_a_forgery(site):
    thread = embed_thread(Client())
    response = Client(enforce_csrf_checks=True).post(
        reverse("web:comment-post", args=[thread.pk]), {"body": "x", "name": "Ana"}
    )
    assert response.status_code == 403
    assert not Comment.objects.filter(thread=thread).exists()


def test_a_forged_token_is_refused_with_a_clear_message(site):
    thread = embed_thread(Client())
    response = post_through_embed(thread, "forged-token", "Hello", name="Ana")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "embed_token_invalid"
    assert not Comment.objects.filter(thread=thread).exists()


def test_the_author_sees_their_held_comment_others_do_not(site):
    thread = thread_update(thread=embed_thread(Client()), premoderated=True)
    token = token_of(Client())
    response = post_through_embed(thread, token, "Please hold me", name="Ana")
    assert response.json()["status"] == CommentStatus.HELD
    url = reverse("web:embed-thread", args=[thread.pk])
    same_site = {"Origin": "http://testserver"}
    own = Client().post(
        url, {"embed_token": token, "comment": response.json()["id"]}, headers=same_site
    )
    assert (
        "Please hold me" in own.content.decode() and "awaiting moderation" in own.content.decode()
    )
    stranger = Client().post(url, {"embed_token": token_of(Client())}, headers=same_site)
    assert "Please hold me" not in stranger.content.decode()
    # Posted from another site's page, the token is not taken: no reader is shown the page
    # as someone else by a form elsewhere.
    elsewhere = Client().post(url, {"embed_token": token}, headers={"Origin": "https://evil.test"})
    assert 'data-token-refused="1"' in elsewhere.content.decode()
    refused = Client().post(url, {"embed_token": "forged"}, headers=same_site).content.decode()
    assert 'data-token-refused="1"' in refused and "Please hold me" not in refused


def test_a_signed_in_browser_gets_a_user_token_that_posts_as_them(client, site, make_user):
    user = make_user(display_name="Lena Ortiz")
    client.force_login(user)
    session = client.get(reverse("web:embed-session")).json()
    assert session["signed_in"] is True and session["name"] == "Lena Ortiz"
    as_guest = client.get(reverse("web:embed-session"), {"guest": "1"}).json()
    assert as_guest["signed_in"] is False
    thread = embed_thread(client)
    response = post_through_embed(thread, session["token"], "Signed in, in a frame")
    assert response.status_code == 201
    assert Comment.objects.get(pk=response.json()["id"]).author == user


def test_a_password_change_ends_user_tokens(site, make_user):
    user = make_user()
    token = embed_tokens.sign_user(user)
    assert embed_tokens.read_token(token).user == user
    user.set_password("another long passphrase")
    user.save()
    assert embed_tokens.read_token(token) is None


def test_sign_in_popup_hands_over_a_token_once_signed_in(client, make_user):
    url = reverse("web:embed-sign-in")
    response = client.get(url)
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    user = make_user(display_name="Lena Ortiz")
    client.force_login(user)
    page = client.get(url).content.decode()
    handover = re.search(r'id="embed-handover"[^>]*>(.*?)</script>', page).group(1)
    assert '"type": "broadsheet:signed-in"' in handover and "Lena Ortiz" in handover
    token = re.search(r'"token": "([^"]+)"', handover).group(1)
    assert embed_tokens.read_token(token).user == user


def test_counts_answer_other_sites_pages_across_origins_only_when_allowed(client, site):
    thread = embed_thread(client)
    post_through_embed(thread, token_of(Client()), "One", name="Ana")
    url = reverse("api:thread_counts")
    asked = PAGE + "?utm_medium=social"
    response = client.get(url, {"url": [asked, "https://blog.example.com/none/"]},
                          headers={"Origin": "https://blog.example.com"})  # fmt: skip
    assert response.json()["counts"] == {asked: 1, "https://blog.example.com/none/": 0}
    assert response["Access-Control-Allow-Origin"] == "https://blog.example.com"
    other = client.get(url, {"url": PAGE}, headers={"Origin": "https://evil.example.net"})
    assert "Access-Control-Allow-Origin" not in other
    # Nothing else of the API is readable across origins.
    articles = client.get(
        reverse("api:article_list"), headers={"Origin": "https://blog.example.com"}
    )
    assert "Access-Control-Allow-Origin" not in articles


def test_the_host_scripts_are_served_at_their_short_addresses(client):
    for name in ("embed-script", "count-script"):
        response = client.get(reverse(f"web:{name}"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/javascript")
        assert b"postMessage" in response.content or b"data-broadsheet-count" in response.content


def test_sites_command_adds_and_lists(capsys):
    call_command("sites", "add", "Docs", "Docs.Example.org", "localhost:8123")
    call_command("sites", "list")
    out = capsys.readouterr().out
    assert "docs.example.org, localhost:8123" in out
    with pytest.raises(Exception, match="already belongs"):
        call_command("sites", "add", "Again", "docs.example.org")
    assert Site.objects.count() == 1


def test_the_demo_lets_the_sites_other_local_name_embed_and_shows_an_example(client, settings):
    settings.BROADSHEET_SITE_URL = "http://127.0.0.1:8000"
    DemoBuild().embedding_site()
    DemoBuild().embedding_site()  # twice: still one
    assert list(SiteDomain.objects.values_list("host", flat=True)) == ["localhost:8000"]
    page = client.get(reverse("web:embed-example")).content.decode()
    assert '<script src="http://127.0.0.1:8000/embed.js" async>' in page
    assert "http://localhost:8000/embed/example/" in page
    settings.BROADSHEET_SITE_URL = "https://news.example.com"
    assert client.get(reverse("web:embed-example")).status_code == 404
