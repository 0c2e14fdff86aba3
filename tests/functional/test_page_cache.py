"""The shared page cache: nothing per visitor in it, and every visible change makes it fresh."""

import pytest
from django.test import Client
from django.urls import reverse

from broadsheet.accounts.viewers import Viewer
from broadsheet.discussion.models import ThreadStatus
from broadsheet.discussion.services import comment_delete, comment_vote, thread_update
from broadsheet.moderation.intake import edit_comment, submit_comment

pytestmark = pytest.mark.django_db


def fetch(article):
    """A first-time reader: a new client without cookies."""
    return Client().get(article.get_absolute_url())


@pytest.fixture
def comment(article, guest):
    return submit_comment(
        thread=article.thread, viewer=guest, body="First words", guest_name="A"
    ).comment


def test_anonymous_page_has_nothing_per_visitor(article, comment):
    response = fetch(article)
    assert response.status_code == 200
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert response["ETag"].startswith('W/"')
    assert fetch(article)["X-Page-Cache"] == "hit"


def test_conditional_get_answers_304(article, comment):
    etag = fetch(article)["ETag"]
    response = Client().get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and not response.content


def test_readers_with_state_get_their_own_page(article, comment, client):
    client.cookies["bs_guest"] = "anything"
    response = client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in response
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_csrf_endpoint_gives_a_token_that_posting_accepts(article):
    client = Client(enforce_csrf_checks=True)
    token = client.get(reverse("web:csrf")).json()["token"]
    response = client.post(
        reverse("web:comment-post", args=[article.thread.pk]),
        {"body": "with token", "name": "Zed", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 303


def test_new_comment_makes_the_page_fresh(article, comment, guest):
    fetch(article)
    submit_comment(thread=article.thread, viewer=guest, body="Second words", guest_name="A")
    response = fetch(article)
    assert response["X-Page-Cache"] == "miss" and "Second words" in response.content.decode()


def test_edit_makes_the_page_fresh(article, comment, guest):
    fetch(article)
    edit_comment(comment_id=comment.pk, viewer=guest, body="Revised words")
    assert "Revised words" in fetch(article).content.decode()


def test_delete_makes_the_page_fresh(article, comment):
    fetch(article)
    comment_delete(comment=comment)
    assert "First words" not in fetch(article).content.decode()


def test_closing_the_discussion_makes_the_page_fresh(article, comment):
    fetch(article)
    thread_update(thread=article.thread, status=ThreadStatus.CLOSED)
    assert "closed to new comments" in fetch(article).content.decode()


def test_votes_do_not_invalidate_and_lag_within_the_ttl(article, comment):
    before = fetch(article)
    comment_vote(comment_id=comment.pk, viewer=Viewer(guest_key="voter"), value=1)
    after = fetch(article)
    assert after["X-Page-Cache"] == "hit" and after.content == before.content


def test_cached_page_is_served_gzipped_to_clients_that_take_gzip(article, comment):
    import gzip

    first = fetch(article)
    hit = Client().get(article.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip, br")
    assert hit["Content-Encoding"] == "gzip" and hit["Vary"] == "Accept-Encoding"
    assert gzip.decompress(hit.content) == first.content


def test_while_another_reader_renders_the_new_version_others_get_the_latest(
    article, comment, guest
):
    from broadsheet.web import page_cache

    before = fetch(article)
    page = f"{article.pk}:oldest"
    assert page_cache.render_claim(page)  # another process is rendering right now
    submit_comment(thread=article.thread, viewer=guest, body="Brand new words", guest_name="A")
    stale = fetch(article)
    assert stale["X-Page-Cache"] == "stale" and stale.content == before.content
    page_cache.render_done(page)
    fresh = fetch(article)
    assert fresh["X-Page-Cache"] == "miss" and "Brand new words" in fresh.content.decode()


@pytest.fixture
def long_hold(monkeypatch):
    """A flood hold that outlasts the test, whatever its render took."""
    from broadsheet.web import page_cache

    monkeypatch.setattr(page_cache, "HOLD_RENDERS", 10_000)
    monkeypatch.setattr(page_cache, "MAX_HOLD_SECONDS", 60)


def post_several(article, guest, count):
    for number in range(count):
        submit_comment(
            thread=article.thread, viewer=guest, body=f"Flood words {number}", guest_name="A"
        )


def test_under_a_flood_of_changes_the_latest_page_is_served_until_the_hold_ends(
    article, comment, guest, long_hold, monkeypatch
):
    from broadsheet.web import page_cache

    before = fetch(article)
    post_several(article, guest, page_cache.FLOOD_CHANGES)
    held = fetch(article)
    assert held["X-Page-Cache"] == "stale" and held.content == before.content
    monkeypatch.setattr(page_cache, "MAX_HOLD_SECONDS", 0)
    fresh = fetch(article)
    assert fresh["X-Page-Cache"] == "miss" and "Flood words 2" in fresh.content.decode()


def test_fewer_changes_than_a_flood_are_seen_by_the_next_reader(article, comment, guest, long_hold):
    from broadsheet.web import page_cache

    fetch(article)
    post_several(article, guest, page_cache.FLOOD_CHANGES - 1)
    fresh = fetch(article)
    assert fresh["X-Page-Cache"] == "miss" and "Flood words 1" in fresh.content.decode()


def test_the_fast_path_serves_the_held_page_too(
    article, comment, guest, long_hold, django_capture_on_commit_callbacks
):
    from broadsheet.web import fast_pages, page_cache

    gzipped = {"HTTP_ACCEPT_ENCODING": "gzip"}
    before = Client().get(article.get_absolute_url(), **gzipped)
    with django_capture_on_commit_callbacks(execute=True):  # the stamps change on commit
        post_several(article, guest, page_cache.FLOOD_CHANGES)
    assert fast_pages.lookup(article.slug, "oldest") is None  # changed, and no hold yet
    assert Client().get(article.get_absolute_url(), **gzipped)["X-Page-Cache"] == "stale"
    etag, body, state = fast_pages.lookup(article.slug, "oldest")
    assert state == b"stale" and body == before.content and etag == before["ETag"]


def test_the_fast_path_learns_a_page_shape_from_a_stale_answer_too():
    """Under a stream of posts a process may answer no hit at all: stale answers teach it."""
    import asyncio

    from broadsheet.web.fast_pages import FastPages

    layer = FastPages(None)
    shape = ("http", b"testserver", b"")
    headers = [(b"content-type", b"text/html; charset=utf-8"), (b"x-frame-options", b"DENY")]

    async def answer(state: bytes) -> None:
        async def send(message):
            pass

        recording = layer._recorder(shape, send)
        own = [(b"x-page-cache", state), (b"content-encoding", b"gzip"), (b"etag", b'W/"x"')]
        await recording({"type": "http.response.start", "status": 200, "headers": headers + own})

    asyncio.run(answer(b"miss"))  # a fresh render: its headers are not a stored page's
    assert shape not in layer.shapes
    asyncio.run(answer(b"stale"))
    assert layer.shapes[shape] == [*headers, (b"content-encoding", b"gzip")]
