"""What API answers never carry (e-mails, addresses, hashes) and their golden shapes."""

import json
import os
import re
from pathlib import Path

import pytest
from api_calls import (  # tests/ is not a package
    API,
    error_of,
    guest_client,
    populated,
    post_json,
    send_json,
    token_client,
)
from django.test import Client

from broadsheet.accounts.models import ApiToken
from broadsheet.accounts.viewers import Viewer
from broadsheet.api.endpoints import api
from broadsheet.discussion.models import Comment, Thread
from broadsheet.moderation.flags import flag_comment
from broadsheet.moderation.intake import submit_comment

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent.parent / "fixtures" / "api"
GOLDEN = FIXTURES / "comments_page.json"


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
    member, _ = populated(article, make_user, moderator)
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
    member, _ = populated(article, make_user, moderator)
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
    member, _ = populated(article, make_user, moderator)
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
