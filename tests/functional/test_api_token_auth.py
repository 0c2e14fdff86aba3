"""API tokens over HTTP: a write token posts without CSRF, a read token only reads, bad ones 401."""

from datetime import timedelta

import pytest
from api_calls import (  # tests/ is not a package
    API,
    error_of,
    post_json,
    send_json,
    token_client,
)
from django.test import Client

from broadsheet.accounts.guests import COOKIE_NAME
from broadsheet.accounts.models import ApiToken
from broadsheet.accounts.services import token_create, token_revoke
from broadsheet.accounts.viewers import Viewer
from broadsheet.discussion.models import Comment
from broadsheet.moderation.intake import submit_comment

pytestmark = pytest.mark.django_db


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
