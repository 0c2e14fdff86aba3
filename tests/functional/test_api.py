"""The JSON API under /api/v1/: reading and posting, votes, edits, flags, errors as JSON."""

import json

import pytest
from api_calls import (  # tests/ is not a package
    API,
    CSRF_SECRET,
    error_of,
    guest_client,
    post_json,
    send_json,
    token_client,
)
from django.test import Client

from broadsheet.accounts.guests import COOKIE_NAME
from broadsheet.accounts.viewers import Viewer
from broadsheet.discussion.models import Comment, CommentStatus, ThreadStatus
from broadsheet.discussion.services import thread_update
from broadsheet.moderation.intake import submit_comment

pytestmark = pytest.mark.django_db


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
    # Found by schemathesis: PostgreSQL refuses a NUL byte in a query (it was a 500).
    nul = thread.key + "\x00"
    assert error_of(client.get(f"{API}/threads", {"url": nul}), 404)["code"] == "thread_not_found"
    assert client.get(f"{API}/threads/counts", {"url": [nul]}).json() == {"counts": {nul: 0}}
    error_of(client.get(f"{API}/threads"), 422)


def test_hidden_thread_is_not_found(client, article):
    thread_update(thread=article.thread, status=ThreadStatus.HIDDEN)
    error_of(client.get(f"{API}/threads", {"url": article.thread.key}), 404)
    error = error_of(client.get(f"{API}/threads/{article.thread.pk}/comments"), 404)
    assert error["code"] == "not_found"


def test_counts_for_many_urls_in_two_queries(
    client, make_article, guest, django_assert_num_queries
):
    first, second = make_article(), make_article()
    submit_comment(thread=first.thread, viewer=guest, body="One", guest_name="Ana")
    submit_comment(thread=first.thread, viewer=guest, body="Two, different", guest_name="Ana")
    urls = [first.thread.key, second.thread.key, "https://elsewhere.test/none"]
    # One for the embedding sites of the URLs' hosts (their keys' rules), one for the threads.
    with django_assert_num_queries(2):
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
    # Found by schemathesis: an id past 64 bits overflowed SQLite's integer (it was a 500).
    error_of(client.get(f"{API}/threads/{2**64}/comments"), 422)
    error_of(post_json(client, f"/comments/{2**70}/flag", {"reason": "spam"}), 422)


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
    # Found by schemathesis: `true` passed for 1; bodies are strict, as the schema says.
    error_of(post_json(voter, f"/comments/{comment.pk}/vote", {"value": True}), 422)
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


def test_edit_and_delete_own_comment(article, make_user):
    member = make_user(display_name="Priya Raman")
    script = token_client(member)
    comment = submit_comment(
        thread=article.thread, viewer=Viewer(user=member), body="Frist"
    ).comment
    edited = send_json(script, "patch", f"/comments/{comment.pk}", {"body": "First, *edited*"})
    assert edited.status_code == 200, edited.content
    data = edited.json()
    assert data["status"] == "published" and "<em>edited</em>" in data["comment"]["html"]
    assert data["comment"]["edited_at"]
    other = token_client(make_user())
    assert (
        error_of(send_json(other, "patch", f"/comments/{comment.pk}", {"body": "X"}), 403)["code"]
        == "not_author"
    )
    assert error_of(send_json(script, "patch", f"/comments/{comment.pk}", {"body": ""}), 400)
    error_of(send_json(script, "patch", f"/comments/{comment.pk}", {}), 422)
    error_of(send_json(script, "patch", "/comments/999999", {"body": "X"}), 404)

    reply = submit_comment(
        thread=article.thread, viewer=Viewer(user=make_user()), body="Reply", parent_id=comment.pk
    ).comment
    assert error_of(other.delete(f"{API}/comments/{comment.pk}"), 403)["code"] == "not_author"
    gone = script.delete(f"{API}/comments/{comment.pk}")
    assert gone.json() == {"id": comment.pk, "deleted": True, "tombstone": True}
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.DELETED
    assert error_of(script.delete(f"{API}/comments/{comment.pk}"), 400)["code"] == (
        "comment_deleted"
    )
    assert Comment.objects.filter(pk=reply.pk).exists()


def test_edit_window_closes(article, make_user, settings):
    settings.BROADSHEET_EDIT_WINDOW_SECONDS = 0
    member = make_user()
    comment = submit_comment(thread=article.thread, viewer=Viewer(user=member), body="Late").comment
    late = send_json(token_client(member), "patch", f"/comments/{comment.pk}", {"body": "Now"})
    assert error_of(late, 403)["code"] == "edit_window_closed"


def test_guest_edits_from_the_same_browser_with_csrf(article):
    browser = guest_client("editing-guest")
    browser.cookies["csrftoken"] = CSRF_SECRET
    comment = submit_comment(
        thread=article.thread, viewer=Viewer(guest_key="editing-guest"), body="Mine",
        guest_name="Ana",
    ).comment  # fmt: skip
    edited = browser.patch(
        f"{API}/comments/{comment.pk}",
        json.dumps({"body": "Mine, edited"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=CSRF_SECRET,
    )
    assert edited.status_code == 200, edited.content
    assert edited.json()["comment"]["author"] == "Ana"


def test_flag(article, make_user):
    writer = make_user()
    comment = submit_comment(thread=article.thread, viewer=Viewer(user=writer), body="Eh").comment
    reader = token_client(make_user())
    flagged = post_json(reader, f"/comments/{comment.pk}/flag", {"reason": "off_topic"})
    assert flagged.status_code == 201, flagged.content
    assert flagged.json() | {"message": ""} == {
        "id": comment.pk, "flagged": True, "held": False, "message": "",
    }  # fmt: skip
    again = post_json(reader, f"/comments/{comment.pk}/flag", {"reason": "spam"})
    assert error_of(again, 409)["code"] == "flag_repeat"
    own = post_json(token_client(writer), f"/comments/{comment.pk}/flag", {"reason": "spam"})
    assert error_of(own, 403)["code"] == "flag_own"
    other = post_json(
        token_client(make_user()), f"/comments/{comment.pk}/flag", {"reason": "other"}
    )
    assert error_of(other, 400)["code"] == "flag_note"
    error_of(post_json(reader, f"/comments/{comment.pk}/flag", {"reason": "ugly"}), 422)


def test_every_operation_is_in_the_schema(client):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    operations = {(m.upper(), p.removeprefix("/api/v1")) for p, ops in paths.items() for m in ops}
    assert operations >= {
        ("PATCH", "/comments/{comment_id}"),
        ("DELETE", "/comments/{comment_id}"),
        ("POST", "/comments/{comment_id}/flag"),
        ("GET", "/moderation/queue"),
        ("POST", "/moderation/comments/{comment_id}/actions"),
        ("GET", "/me"),
        ("GET", "/me/export"),
    }
    schemes = client.get(f"{API}/openapi.json").json()["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
