"""The JSON API under /api/v1/: each operation, who sees what, errors as JSON, no secrets."""

import json
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client

from broadsheet.accounts.guests import COOKIE_NAME, sign_guest_key
from broadsheet.accounts.models import ApiToken
from broadsheet.accounts.services import token_create, token_revoke
from broadsheet.accounts.viewers import Viewer
from broadsheet.api.endpoints import api
from broadsheet.discussion.models import Comment, CommentStatus, Thread, ThreadStatus
from broadsheet.discussion.services import comment_vote, thread_update
from broadsheet.moderation.flags import flag_comment
from broadsheet.moderation.intake import submit_comment
from broadsheet.moderation.models import ModerationAction

pytestmark = pytest.mark.django_db

API = "/api/v1"
FIXTURES = Path(__file__).parent.parent / "fixtures" / "api"
GOLDEN = FIXTURES / "comments_page.json"
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


def _get_paths(article) -> list[tuple[str, dict]]:
    """Every GET operation of the API, with parameters that find something."""
    thread = article.thread
    return [
        ("/threads", {"url": thread.key}),
        ("/threads/counts", {"url": [thread.key]}),
        (f"/threads/{thread.pk}/comments", {}),
        (f"/threads/{thread.pk}/comments", {"sort": "best"}),
        ("/articles", {}),
        (f"/articles/{article.slug}", {}),
        ("/moderation/queue", {}),
        ("/moderation/queue", {"tab": "flagged"}),
        ("/moderation/queue", {"tab": "recent"}),
        ("/moderation/queue", {"q": "Held"}),
        ("/me", {}),
        ("/me/export", {}),
    ]


def test_no_email_or_hash_in_any_response(article, make_user, moderator):
    """A fully populated site: guests with e-mails, address hashes, flags, tokens, decisions."""
    member, _ = _populated(article, make_user, moderator)
    thread = article.thread
    held = Comment.objects.get(body_source="Held one")
    top = Comment.objects.get(body_source="With mail")
    flag_comment(comment_id=top.pk, viewer=Viewer(user=member), reason="spam")
    member_token = token_client(member)
    moderator_token = token_client(moderator, "read")
    secrets = {member.email, moderator.email, "ana@example.org", "203.0.113.7", "2001:db8::1"}
    for comment in Comment.objects.all():
        secrets |= {comment.guest_email_hash, comment.guest_key_hash, comment.address_hash}
    secrets |= set(ApiToken.objects.values_list("secret_hash", flat=True))
    secrets.discard("")
    assert len(secrets) > 10

    readers = [Client(), guest_client("populated-guest"), Client(), Client()]
    readers[2].force_login(member)
    readers[3].force_login(moderator)
    readers += [member_token, moderator_token]
    paths = _get_paths(article)
    in_schema = {
        path.removeprefix(API)
        for path, ops in api.get_openapi_schema()["paths"].items()
        if "get" in ops
    }
    swept = {re.sub(r"/(\d+|[a-z0-9-]{20,})(?=/|$)", "/{x}", p) for p, _ in paths}
    assert {re.sub(r"\{\w+\}", "{x}", p) for p in in_schema} == swept, "sweep every GET"
    bodies = []
    for reader in readers:
        for path, params in paths:
            response = reader.get(f"{API}{path}", params)
            assert response.status_code in (200, 401, 403), (path, response.content[:200])
            bodies.append(response.content.decode())
    for path, params in paths:  # the moderator's and the member's answers are all 200s
        assert moderator_token.get(f"{API}{path}", params).status_code == 200, path
        if not path.startswith("/moderation"):
            assert member_token.get(f"{API}{path}", params).status_code == 200, path
    posted = post_json(
        guest_client("populated-guest"),
        f"/threads/{thread.pk}/comments",
        {"body": "Mail me", "name": "Ana", "email": "ana@example.org", "notify": True},
    )
    assert posted.status_code == 201
    mine = Comment.objects.get(body_source="Member reply")
    writes = [
        posted,
        send_json(member_token, "patch", f"/comments/{mine.pk}", {"body": "Member, edited"}),
        post_json(member_token, f"/comments/{held.pk}/flag", {"reason": "spam"}),
        post_json(token_client(moderator), f"/moderation/comments/{held.pk}/actions",
                  {"action": "approve", "reason": "Fine."}),
        member_token.delete(f"{API}/comments/{mine.pk}"),
    ]  # fmt: skip
    bodies += [w.content.decode() for w in writes]
    bodies += [moderator_token.get(f"{API}/moderation/queue", {"tab": "recent"}).content.decode()]
    everything = "\n".join(bodies)
    assert "Member reply" in everything and "Held one" in everything
    assert '"flags": [{"id"' in everything and '"decisions": [{"id"' in everything
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


# -- API tokens ------------------------------------------------------------------------------------


def token_client(user, scope: str = "write", *, csrf: bool = True) -> Client:
    """A server-to-server caller: the bearer header, CSRF enforced (and never needed)."""
    _, plaintext = token_create(user=user, name="script", scope=scope)
    return Client(enforce_csrf_checks=csrf, HTTP_AUTHORIZATION=f"Bearer {plaintext}")


def send_json(client: Client, method: str, path: str, data) -> object:
    return getattr(client, method)(
        f"{API}{path}", json.dumps(data), content_type="application/json"
    )


def test_write_token_posts_without_csrf(article, make_user):
    member = make_user(display_name="Priya Raman")
    script = token_client(member)
    posted = post_json(script, f"/threads/{article.thread.pk}/comments", {"body": "By script"})
    assert posted.status_code == 201, posted.content
    assert posted.json()["comment"]["author"] == "Priya Raman"
    assert COOKIE_NAME not in posted.cookies and "sessionid" not in posted.cookies
    assert Comment.objects.get(pk=posted.json()["id"]).author == member
    page = script.get(f"{API}/threads/{article.thread.pk}/comments").json()
    assert page["comments"][0]["is_own"] is True


def test_read_token_reads_but_cannot_write(article, make_user):
    writer = make_user()
    comment = submit_comment(thread=article.thread, viewer=Viewer(user=writer), body="Hi").comment
    reader = token_client(make_user(display_name="Read Only"), "read")
    assert reader.get(f"{API}/me").json()["display_name"] == "Read Only"
    assert reader.get(f"{API}/threads/{article.thread.pk}/comments").status_code == 200
    for method, path, data in [
        ("post", f"/threads/{article.thread.pk}/comments", {"body": "No"}),
        ("post", f"/comments/{comment.pk}/vote", {"value": 1}),
        ("post", f"/comments/{comment.pk}/flag", {"reason": "spam"}),
        ("patch", f"/comments/{comment.pk}", {"body": "No"}),
        ("delete", f"/comments/{comment.pk}", {}),
    ]:
        error = error_of(send_json(reader, method, path, data), 403)
        assert error["code"] == "token_read_only", (method, path)
    assert Comment.objects.count() == 1 and comment.votes.count() == 0


def test_unknown_and_revoked_tokens_are_401_never_a_fallback(article, make_user):
    member = make_user()
    token, plaintext = token_create(user=member, name="old", scope="write")
    for bad in ["nonsense", "bst_00000000_" + "x" * 43, plaintext[:-1] + "?", ""]:
        caller = Client(HTTP_AUTHORIZATION=f"Bearer {bad}")
        assert error_of(caller.get(f"{API}/me"), 401)["code"] == "token_invalid"
        assert error_of(caller.get(f"{API}/articles"), 401)["code"] == "token_invalid"
    token_revoke(token_id=token.pk, actor=member)
    revoked = Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    revoked.force_login(member)  # a session beside a bad token does not rescue it
    assert error_of(revoked.get(f"{API}/me"), 401)["code"] == "token_revoked"
    refused = post_json(revoked, f"/threads/{article.thread.pk}/comments", {"body": "Hi"})
    assert error_of(refused, 401)["code"] == "token_revoked"
    assert not Comment.objects.exists()


def test_token_use_is_noted_once_a_minute(make_user, settings):
    member = make_user()
    token, plaintext = token_create(user=member, name="cron", scope="read")
    caller = Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert caller.get(f"{API}/me").status_code == 200
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    caller.get(f"{API}/me")
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    caller.get(f"{API}/me")
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


# -- edit, delete, flag ----------------------------------------------------------------------------


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


# -- moderation ------------------------------------------------------------------------------------


def test_queue_is_for_moderators(client, make_user, moderator):
    assert error_of(client.get(f"{API}/moderation/queue"), 401)["code"] == "unauthenticated"
    member = token_client(make_user(), "read")
    assert error_of(member.get(f"{API}/moderation/queue"), 403)["code"] == "not_moderator"
    mod = token_client(moderator, "read")
    assert mod.get(f"{API}/moderation/queue").status_code == 200
    error_of(mod.get(f"{API}/moderation/queue", {"tab": "nope"}), 422)
    error_of(mod.get(f"{API}/moderation/queue", {"page": 0}), 422)
    error_of(mod.get(f"{API}/moderation/queue", {"q": "x" * 201}), 422)


def test_queue_lists_held_and_flagged_with_reasons(article, make_user, moderator):
    thread = article.thread
    thread_update(thread=thread, premoderated=True)
    held = submit_comment(
        thread=thread, viewer=Viewer(guest_key="g1"), body="Hold me", guest_name="Ana"
    ).comment
    thread_update(thread=thread, premoderated=False)
    shown = submit_comment(thread=thread, viewer=Viewer(user=make_user()), body="Shown").comment
    flag_comment(comment_id=shown.pk, viewer=Viewer(guest_key="g2"), reason="spam")
    mod = token_client(moderator, "read")

    queue = mod.get(f"{API}/moderation/queue").json()
    assert queue["tab"] == "held" and queue["total"] == 1 and queue["has_next"] is False
    assert queue["counts"] == {"held": 1, "flagged": 1, "rejected": 0}
    item = queue["items"][0]
    assert item["id"] == held.pk and item["status"] == "held" and item["author"] == "Ana"
    assert item["reasons"] and all(r["check"] for r in item["reasons"])
    assert item["thread"] == {"id": thread.pk, "url": thread.key, "title": thread.title}

    flagged = mod.get(f"{API}/moderation/queue", {"tab": "flagged"}).json()["items"]
    assert [i["id"] for i in flagged] == [shown.pk]
    assert [(f["reason"], f["weight"]) for f in flagged[0]["flags"]] == [("spam", 0.5)]
    found = mod.get(f"{API}/moderation/queue", {"q": "Hold"}).json()
    assert found["tab"] == "search" and [i["id"] for i in found["items"]] == [held.pk]


def test_moderation_actions(article, make_user, moderator):
    thread = article.thread
    thread_update(thread=thread, premoderated=True)
    held = submit_comment(
        thread=thread, viewer=Viewer(guest_key="g1"), body="Hold me", guest_name="Ana"
    ).comment
    mod = token_client(moderator)
    path = f"/moderation/comments/{held.pk}/actions"

    approved = post_json(mod, path, {"action": "approve"})
    assert approved.status_code == 200, approved.content
    data = approved.json()
    assert (data["comment"], data["status"], data["message"]) == (held.pk, "published", "Approved.")
    assert ModerationAction.objects.get(pk=data["action"]["id"]).actor == moderator
    assert error_of(post_json(mod, path, {"action": "approve"}), 409)["code"] == "already_decided"
    featured = post_json(mod, path, {"action": "feature"}).json()
    assert featured["featured"] is True
    assert post_json(mod, path, {"action": "unfeature"}).json()["featured"] is False
    assert error_of(post_json(mod, path, {"action": "reject"}), 400)["code"] == "reason_required"
    rejected = post_json(mod, path, {"action": "reject", "reason": "Off topic."}).json()
    assert rejected["status"] == "rejected" and rejected["action"]["reason"] == "Off topic."
    assert post_json(mod, path, {"action": "spam"}).json()["status"] == "spam"
    error_of(post_json(mod, path, {"action": "ban"}), 422)
    assert error_of(post_json(mod, "/moderation/comments/999999/actions", {"action": "spam"}), 404)

    member = post_json(token_client(make_user()), path, {"action": "approve"})
    assert error_of(member, 403)["code"] == "not_moderator"
    read_only = post_json(token_client(moderator, "read"), path, {"action": "approve"})
    assert error_of(read_only, 403)["code"] == "token_read_only"
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(moderator)
    assert error_of(post_json(browser, path, {"action": "approve"}), 403)["code"] == "csrf_failed"
    assert error_of(post_json(Client(), path, {"action": "approve"}), 401)["code"] == (
        "unauthenticated"
    )


# -- me and the export -----------------------------------------------------------------------------


def test_me_and_export_carry_no_email(client, article, make_user):
    member = make_user(display_name="Priya Raman", email="priya@example.org")
    submit_comment(thread=article.thread, viewer=Viewer(user=member), body="Mine, exported")
    assert error_of(client.get(f"{API}/me"), 401)["code"] == "unauthenticated"
    assert error_of(guest_client("g").get(f"{API}/me/export"), 401)
    caller = token_client(member, "read")
    me = caller.get(f"{API}/me").json()
    assert me["display_name"] == "Priya Raman" and me["email_verified"] is True
    assert me["token"]["scope"] == "read" and me["is_moderator"] is False
    export = caller.get(f"{API}/me/export")
    assert export.status_code == 200
    data = export.json()
    assert data["format"] == "broadsheet-user-data" and "email" not in data["profile"]
    assert [c["body"] for c in data["comments"]] == ["Mine, exported"]
    assert "priya@example.org" not in (export.content + caller.get(f"{API}/me").content).decode()
    client.force_login(member)
    assert client.get(f"{API}/me").json()["token"] is None


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


# -- golden shapes of the newer answers ------------------------------------------------------------

_ID_KEYS = {"id", "parent", "comment", "author_id"}
_TIME_KEYS = {
    "created_at", "edited_at", "exported_at", "date_joined", "last_login", "email_verified_at",
}  # fmt: skip
_VARYING_KEYS = {"url", "key", "title", "thread_title", "prefix"}
# Whose ids a key holds, by the key it sits under: ids are numbered per kind.
_KINDS = {"thread": "thread", "profile": "user", "flags": "flag", "decisions": "action"}
_KINDS |= {"action": "action", "author_id": "user", "recent": "comment"}


def _shape(value, ids: dict, kind: str = "comment"):
    """Ids numbered per kind in order of appearance; times and site-specific strings replaced."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in _ID_KEYS and isinstance(item, int):
                of = _KINDS.get(key, "comment" if key != "id" else kind)
                number = ids.setdefault((of, item), sum(k == of for k, _ in ids) + 1)
                out[key] = f"<{of}{number}>"
            elif key in _TIME_KEYS and item:
                out[key] = "<time>"
            elif key in _VARYING_KEYS and isinstance(item, str):
                out[key] = f"<{key}>"
            elif key == "risk" and isinstance(item, float):
                out[key] = "<risk>"
            else:
                out[key] = _shape(item, ids, _KINDS.get(key, kind))
        return out
    if isinstance(value, list):
        return [_shape(item, ids, kind) for item in value]
    return value


def _assert_golden(name: str, data, kind: str = "comment") -> None:
    shaped = _shape(data, {}, kind)
    path = FIXTURES / f"{name}.json"
    if os.environ.get("BROADSHEET_UPDATE_GOLDEN"):
        path.write_text(json.dumps(shaped, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    assert shaped == json.loads(path.read_text()), name


def test_golden_shapes_of_queue_me_export_and_edit(article, make_user, moderator):
    member, _ = _populated(article, make_user, moderator)
    top = Comment.objects.get(body_source="With mail")
    flag_comment(comment_id=top.pk, viewer=Viewer(user=member), reason="off_topic", note="Old.")
    mine = Comment.objects.get(body_source="Member reply")
    member_token = token_client(member)
    moderator_token = token_client(moderator, "read")

    _assert_golden("moderation_queue", moderator_token.get(f"{API}/moderation/queue").json())
    flagged = moderator_token.get(f"{API}/moderation/queue", {"tab": "flagged"}).json()
    _assert_golden("moderation_queue_flagged", flagged)
    _assert_golden("me", member_token.get(f"{API}/me").json(), "user")
    edited = send_json(member_token, "patch", f"/comments/{mine.pk}", {"body": "Member, *edited*"})
    _assert_golden("comment_edited", edited.json())
    _assert_golden("me_export", member_token.get(f"{API}/me/export").json())
