"""The JSON API under /api/v1/: each operation, who sees what, errors as JSON, no secrets."""

import json
import os
import re
from pathlib import Path

import pytest
from django.test import Client

from broadsheet.accounts.guests import COOKIE_NAME, sign_guest_key
from broadsheet.accounts.viewers import Viewer
from broadsheet.discussion.models import Comment, Thread, ThreadStatus
from broadsheet.discussion.services import comment_vote, thread_update
from broadsheet.moderation.intake import submit_comment

pytestmark = pytest.mark.django_db

API = "/api/v1"
GOLDEN = Path(__file__).parent.parent / "fixtures" / "api" / "comments_page.json"
CSRF_SECRET = "a" * 32


def guest_client(key: str) -> Client:
    client = Client()
    client.cookies[COOKIE_NAME] = sign_guest_key(key)
    return client


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] and error["message"]
    return error


def post_json(client: Client, path: str, data, **extra):
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(f"{API}{path}", body, content_type="application/json", **extra)


def test_schema_and_docs_are_served(client):
    schema = client.get(f"{API}/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/threads", "/api/v1/threads/counts", "/api/v1/articles"} <= set(paths)
    assert "/api/v1/threads/{thread_id}/comments" in paths
    assert client.get(f"{API}/docs").status_code == 200


def test_thread_by_page_url(client, article):
    thread = article.thread
    data = client.get(f"{API}/threads", {"url": thread.key}).json()
    assert data["id"] == thread.pk and data["url"] == thread.key
    assert data["status"] == "open" and data["comment_count"] == 0

    error = error_of(client.get(f"{API}/threads", {"url": "https://elsewhere.test/x"}), 404)
    assert error["code"] == "thread_not_found"
    error_of(client.get(f"{API}/threads"), 422)


def test_hidden_thread_is_not_found(client, article):
    thread_update(thread=article.thread, status=ThreadStatus.HIDDEN)
    error_of(client.get(f"{API}/threads", {"url": article.thread.key}), 404)
    error = error_of(client.get(f"{API}/threads/{article.thread.pk}/comments"), 404)
    assert error["code"] == "not_found"


def test_counts_for_many_urls_in_one_query(client, make_article, guest, django_assert_num_queries):
    first, second = make_article(), make_article()
    submit_comment(thread=first.thread, viewer=guest, body="One", guest_name="Ana")
    submit_comment(thread=first.thread, viewer=guest, body="Two, different", guest_name="Ana")
    urls = [first.thread.key, second.thread.key, "https://elsewhere.test/none"]
    with django_assert_num_queries(1):
        response = client.get(f"{API}/threads/counts", {"url": urls})
    assert response.json() == {"counts": {urls[0]: 2, urls[1]: 0, urls[2]: 0}}

    too_many = client.get(
        f"{API}/threads/counts", {"url": [f"https://x.test/{n}" for n in range(101)]}
    )
    assert error_of(too_many, 400)["code"] == "urls_too_many"
    error_of(client.get(f"{API}/threads/counts"), 422)


def test_comments_page_with_replies_sorts_and_cursor(client, article, guest, settings):
    settings.BROADSHEET_PAGE_TOP_LEVEL = 2
    thread = article.thread
    tops = [
        submit_comment(thread=thread, viewer=guest, body=f"Top {n} here", guest_name="Ana").comment
        for n in range(3)
    ]
    reply = submit_comment(
        thread=thread, viewer=guest, body="A reply", guest_name="Ben", parent_id=tops[0].pk
    ).comment

    first = client.get(f"{API}/threads/{thread.pk}/comments").json()
    assert first["sort"] == "oldest" and first["previous_cursor"] is None
    assert [c["id"] for c in first["comments"]] == [tops[0].pk, tops[1].pk]
    assert [r["id"] for r in first["comments"][0]["replies"]] == [reply.pk]
    assert first["comments"][0]["replies"][0]["author"] == "Ben"

    second = client.get(
        f"{API}/threads/{thread.pk}/comments", {"cursor": first["next_cursor"]}
    ).json()
    assert [c["id"] for c in second["comments"]] == [tops[2].pk]
    assert second["next_cursor"] is None and second["previous_cursor"]

    newest = client.get(f"{API}/threads/{thread.pk}/comments", {"sort": "newest"}).json()
    assert [c["id"] for c in newest["comments"]] == [tops[2].pk, tops[1].pk]

    bad_cursor = client.get(f"{API}/threads/{thread.pk}/comments", {"cursor": "forged"})
    assert error_of(bad_cursor, 400)["code"] == "cursor_invalid"
    mixed = client.get(
        f"{API}/threads/{thread.pk}/comments", {"cursor": first["next_cursor"], "sort": "top"}
    )
    assert error_of(mixed, 400)["code"] == "cursor_invalid"
    error_of(client.get(f"{API}/threads/{thread.pk}/comments", {"sort": "loudest"}), 422)
    error_of(client.get(f"{API}/threads/999999/comments"), 404)
    error_of(client.get(f"{API}/threads/abc/comments"), 422)


def test_guest_posts_and_gets_a_token(client, article):
    response = post_json(
        client, f"/threads/{article.thread.pk}/comments", {"body": "Hello *there*", "name": "Ana"}
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "published" and data["comment"]["author"] == "Ana"
    assert data["comment"]["is_own"] and "<em>there</em>" in data["comment"]["html"]
    assert COOKIE_NAME in response.cookies
    comment = Comment.objects.get(pk=data["id"])
    assert comment.guest_key_hash and comment.address_hash

    # The same token comes back: the guest stays the same guest.
    again = post_json(
        client,
        f"/threads/{article.thread.pk}/comments",
        {"body": "And a reply", "name": "Ana", "parent": data["id"]},
    )
    assert again.status_code == 201 and again.json()["parent"] == data["id"]
    assert COOKIE_NAME not in again.cookies
    assert Comment.objects.get(pk=again.json()["id"]).guest_key_hash == comment.guest_key_hash


def test_held_comments_are_seen_by_their_author_and_moderators_only(client, article, moderator):
    thread = article.thread
    thread_update(thread=thread, premoderated=True)
    author = guest_client("held-guest")
    posted = post_json(author, f"/threads/{thread.pk}/comments", {"body": "Wait", "name": "Ana"})
    assert posted.status_code == 201 and posted.json()["status"] == "held"
    held_id = posted.json()["id"]

    def ids(c: Client) -> list[int]:
        return [x["id"] for x in c.get(f"{API}/threads/{thread.pk}/comments").json()["comments"]]

    assert ids(client) == []
    assert ids(guest_client("someone-else")) == []
    mine = author.get(f"{API}/threads/{thread.pk}/comments").json()["comments"]
    assert [(c["id"], c["status"], c["is_own"]) for c in mine] == [(held_id, "held", True)]
    client.force_login(moderator)
    assert ids(client) == [held_id]


def test_posting_errors_are_json_with_codes(client, article):
    path = f"/threads/{article.thread.pk}/comments"
    assert error_of(post_json(client, path, {"body": "No name"}), 400)["code"]
    assert error_of(post_json(client, path, {"body": "", "name": "Ana"}), 400)["code"]
    error_of(post_json(client, path, {"name": "Ana"}), 422)
    assert error_of(post_json(client, path, "{not json"), 400)["code"] == "bad_request"
    error_of(post_json(client, path, ["a", "list"]), 422)
    error_of(post_json(client, path, {"body": "Hi", "name": "Ana", "parent": 99999999}), 404)
    error_of(post_json(client, "/threads/99999/comments", {"body": "Hi", "name": "Ana"}), 404)
    thread_update(thread=article.thread, status=ThreadStatus.CLOSED)
    closed = error_of(post_json(client, path, {"body": "Hi", "name": "Ana"}), 403)
    assert closed["code"] != "http_error"
    assert not Comment.objects.exists()


def test_session_posting_needs_csrf(article, make_user):
    member = make_user(display_name="Priya Raman")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    path = f"/threads/{article.thread.pk}/comments"
    refused = post_json(browser, path, {"body": "Mine"})
    assert error_of(refused, 403)["code"] == "csrf_failed"
    browser.cookies["csrftoken"] = CSRF_SECRET
    posted = post_json(browser, path, {"body": "Mine"}, HTTP_X_CSRFTOKEN=CSRF_SECRET)
    assert posted.status_code == 201, posted.content
    assert posted.json()["comment"]["author"] == "Priya Raman"
    assert posted.json()["comment"]["guest"] is False
    assert COOKIE_NAME not in posted.cookies


def test_vote(client, article, make_user):
    writer = Viewer(user=make_user())
    comment = submit_comment(thread=article.thread, viewer=writer, body="Vote me").comment
    voter = guest_client("voter")
    up = post_json(voter, f"/comments/{comment.pk}/vote", {"value": 1})
    assert up.json() == {"id": comment.pk, "upvotes": 1, "downvotes": 0, "my_vote": 1}
    down = post_json(voter, f"/comments/{comment.pk}/vote", {"value": -1})
    assert down.json()["upvotes"] == 0 and down.json()["downvotes"] == 1
    page = voter.get(f"{API}/threads/{article.thread.pk}/comments").json()
    assert page["comments"][0]["my_vote"] == -1

    error_of(post_json(voter, f"/comments/{comment.pk}/vote", {"value": 5}), 422)
    assert error_of(post_json(voter, "/comments/999999/vote", {"value": 1}), 404)["code"]
    fresh = post_json(client, f"/comments/{comment.pk}/vote", {"value": 1})
    assert fresh.status_code == 200 and COOKIE_NAME in fresh.cookies


def test_articles(client, make_article):
    older, newer = make_article(), make_article(tags=["Harbour"])
    make_article(status="draft")
    listing = client.get(f"{API}/articles").json()
    assert [a["slug"] for a in listing["articles"]] == [newer.slug, older.slug]
    assert listing["has_next"] is False and listing["articles"][0]["thread_id"]

    detail = client.get(f"{API}/articles/{newer.slug}").json()
    assert detail["title"] == newer.title and "<em>Tuesday</em>" in detail["html"]
    assert detail["tags"] == ["Harbour"] and detail["author"] == "Maya Okafor"
    assert error_of(client.get(f"{API}/articles/no-such-thing"), 404)["code"] == "not_found"
    error_of(client.get(f"{API}/articles", {"page": 0}), 422)


def _populated(article, make_user, moderator):
    thread = article.thread
    member = make_user(display_name="Priya Raman")
    guest = Viewer(guest_key="populated-guest")
    top = submit_comment(
        thread=thread, viewer=guest, body="With mail", guest_name="Ana",
        guest_email="ana@example.org", notify=True, client_address="203.0.113.7",
    ).comment  # fmt: skip
    reply = submit_comment(
        thread=thread, viewer=Viewer(user=member), body="Member reply", parent_id=top.pk,
        client_address="2001:db8::1",
    ).comment  # fmt: skip
    comment_vote(comment_id=top.pk, viewer=Viewer(user=member), value=1)
    comment_vote(comment_id=reply.pk, viewer=guest, value=1)
    thread_update(thread=thread, premoderated=True)
    submit_comment(thread=thread, viewer=guest, body="Held one", guest_name="Ana")
    return member, guest


def test_no_email_or_hash_in_any_response(article, make_user, moderator):
    member, _ = _populated(article, make_user, moderator)
    thread = article.thread
    secrets = {member.email, moderator.email, "ana@example.org", "203.0.113.7", "2001:db8::1"}
    for comment in Comment.objects.all():
        secrets |= {comment.guest_email_hash, comment.guest_key_hash, comment.address_hash}
    secrets.discard("")

    readers = [Client(), guest_client("populated-guest"), Client(), Client()]
    readers[2].force_login(member)
    readers[3].force_login(moderator)
    bodies = []
    for reader in readers:
        for path, params in [
            ("/threads", {"url": thread.key}),
            ("/threads/counts", {"url": [thread.key]}),
            (f"/threads/{thread.pk}/comments", {}),
            (f"/threads/{thread.pk}/comments", {"sort": "best"}),
            ("/articles", {}),
            (f"/articles/{article.slug}", {}),
        ]:
            response = reader.get(f"{API}{path}", params)
            assert response.status_code == 200, (path, response.content[:200])
            bodies.append(response.content.decode())
    posted = post_json(
        guest_client("populated-guest"),
        f"/threads/{thread.pk}/comments",
        {"body": "Mail me", "name": "Ana", "email": "ana@example.org", "notify": True},
    )
    assert posted.status_code == 201
    bodies.append(posted.content.decode())
    everything = "\n".join(bodies)
    assert "Member reply" in everything and "Held one" in everything
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", everything)
    for secret in secrets:
        assert secret not in everything


def _normalize(value, ids: dict[int, str]):
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in ("id", "parent") and isinstance(item, int):
                out[key] = ids.setdefault(item, f"<id{len(ids) + 1}>")
            elif key in ("created_at", "edited_at") and item:
                out[key] = "<time>"
            elif key in ("next_cursor", "previous_cursor") and item:
                out[key] = "<cursor>"
            else:
                out[key] = _normalize(item, ids)
        return out
    if isinstance(value, list):
        return [_normalize(item, ids) for item in value]
    return value


def test_comments_page_golden_shape(article, make_user, moderator):
    member, _ = _populated(article, make_user, moderator)
    thread = Thread.objects.get(pk=article.thread.pk)
    reader = Client()
    reader.force_login(member)
    data = reader.get(f"{API}/threads/{thread.pk}/comments").json()
    data["thread"]["url"] = "<url>"
    data["thread"] |= {"title": "<title>", "id": "<thread>"}
    shaped = _normalize(data, {})
    if os.environ.get("BROADSHEET_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(shaped, indent=2, sort_keys=True) + "\n")
    assert shaped == json.loads(GOLDEN.read_text())
