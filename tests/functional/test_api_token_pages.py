"""API tokens over HTTP: members make and revoke their own on a page; admins do it for anyone."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from broadsheet.accounts.api_tokens import token_hash
from broadsheet.accounts.models import ApiToken, User
from broadsheet.accounts.services import token_create

pytestmark = pytest.mark.django_db

BACKEND = "django.contrib.auth.backends.ModelBackend"
TOKEN = re.compile(r"bst_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")


def text(response) -> str:
    return response.content.decode()


def test_tokens_page_needs_sign_in_and_is_linked_from_the_profile(client, make_user):
    assert client.get(reverse("accounts:api-tokens")).status_code == 302
    client.force_login(make_user())
    profile = text(client.get(reverse("accounts:profile")))
    assert reverse("accounts:api-tokens") in profile
    page = client.get(reverse("accounts:api-tokens"))
    assert page.status_code == 200 and "You have no tokens yet." in text(page)


def test_make_a_token_see_it_once_then_use_and_revoke_it(client, make_user):
    member = make_user(display_name="Priya Raman")
    client.force_login(member)
    made = client.post(reverse("accounts:api-tokens"), {"name": "newsletter", "scope": "write"})
    assert made.status_code == 201
    plaintext = TOKEN.search(text(made)).group(0)
    token = ApiToken.objects.get(user=member)
    assert token.secret_hash == token_hash(plaintext) and plaintext not in str(token.__dict__)
    assert (token.name, token.scope) == ("newsletter", "write")
    listing = text(client.get(reverse("accounts:api-tokens")))
    assert f"bst_{token.prefix}_…" in listing and not TOKEN.search(listing)

    api = Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert api.get("/api/v1/me").json()["display_name"] == "Priya Raman"
    revoked = client.post(reverse("accounts:api-token-revoke", args=[token.pk]))
    assert revoked.status_code == 303
    assert "is revoked" in text(client.get(reverse("accounts:api-tokens")))
    assert api.get("/api/v1/me").json()["error"]["code"] == "token_revoked"


def test_refusals_come_back_on_the_page(client, make_user):
    member = make_user()
    client.force_login(member)
    blank = client.post(reverse("accounts:api-tokens"), {"name": "  ", "scope": "read"})
    assert blank.status_code == 400 and not ApiToken.objects.exists()
    bad_scope = client.post(reverse("accounts:api-tokens"), {"name": "x", "scope": "admin"})
    assert bad_scope.status_code == 400
    others, _ = token_create(user=make_user(), name="theirs", scope="read")
    refused = client.post(reverse("accounts:api-token-revoke", args=[others.pk]))
    assert refused.status_code == 404 and "There is no such token." in text(refused)
    assert ApiToken.objects.get(pk=others.pk).revoked_at is None
    assert client.get(reverse("accounts:api-token-revoke", args=[others.pk])).status_code == 405


def test_admin_makes_a_token_for_a_member_and_revokes_it(client, make_user):
    admin = User.objects.create_superuser(
        email="admin@example.com", password="x" * 20, display_name="Ada Admin"
    )
    member = make_user(display_name="Priya Raman")
    client.force_login(admin, backend=BACKEND)
    added = client.post(
        reverse("admin:accounts_apitoken_add"),
        {"user": member.pk, "name": "partner feed", "scope": "read"},
        follow=True,
    )
    assert added.status_code == 200
    token = ApiToken.objects.get(user=member)
    plaintext = TOKEN.search(text(added)).group(0)
    assert token.secret_hash == token_hash(plaintext) and token.scope == "read"
    assert not TOKEN.search(text(client.get(reverse("admin:accounts_apitoken_changelist"))))
    change = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert change.status_code == 200 and token.secret_hash not in text(change)

    refused = client.post(
        reverse("admin:accounts_apitoken_add"), {"user": member.pk, "name": "", "scope": "read"}
    )
    assert refused.status_code == 200 and ApiToken.objects.count() == 1
    client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
