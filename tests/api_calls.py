"""Calling the JSON API from tests: a client per kind of caller, JSON in and out, and a
populated discussion. tests/ is not a package: test modules import this as `api_calls`."""

import json

from django.test import Client

from broadsheet.accounts.guests import COOKIE_NAME, sign_guest_key
from broadsheet.accounts.services import token_create
from broadsheet.accounts.viewers import Viewer
from broadsheet.discussion.services import comment_vote, thread_update
from broadsheet.moderation.intake import submit_comment

API = "/api/v1"
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


def token_client(user, scope: str = "write", *, csrf: bool = True) -> Client:
    """A server-to-server caller: the bearer header, CSRF enforced (and never needed)."""
    _, plaintext = token_create(user=user, name="script", scope=scope)
    return Client(enforce_csrf_checks=csrf, HTTP_AUTHORIZATION=f"Bearer {plaintext}")


def send_json(client: Client, method: str, path: str, data) -> object:
    return getattr(client, method)(
        f"{API}{path}", json.dumps(data), content_type="application/json"
    )


def populated(article, make_user, moderator):
    """A discussion with everything a response could leak: guest e-mail, addresses, votes,
    a held comment."""
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
