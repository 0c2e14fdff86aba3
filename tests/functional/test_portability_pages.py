"""The "Your data" part of the profile over HTTP: download, and the erase flow."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from broadsheet.accounts.models import User
from broadsheet.accounts.viewers import Viewer
from broadsheet.discussion.models import Comment
from broadsheet.moderation.intake import submit_comment

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # what make_user gives


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def member(make_user, article):
    user = make_user(display_name="Wren Castellane", email="wren@example.org")
    submit_comment(thread=article.thread, viewer=Viewer(user=user), body="Ferries first.")
    return user


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


def test_profile_offers_download_and_erase(signed_in):
    page = signed_in.get(reverse("accounts:profile")).content.decode()
    assert "Your data" in page
    assert reverse("accounts:data-download") in page
    assert reverse("accounts:erase") in page


def test_download_is_an_attachment_with_my_comments(signed_in, member):
    response = signed_in.get(reverse("accounts:data-download"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="broadsheet-my-data-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == "wren@example.org"
    assert [c["body"] for c in data["comments"]] == ["Ferries first."]


def test_signed_out_visitors_are_sent_to_sign_in(client):
    for name in ("accounts:data-download", "accounts:erase"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_erase_with_the_wrong_password_is_refused_and_erases_nothing(signed_in, member):
    page = signed_in.get(reverse("accounts:erase"))
    assert page.status_code == 200 and 'name="csrfmiddlewaretoken"' in page.content.decode()
    assert "your 1 comment is deleted" in page.content.decode()
    response = signed_in.post(reverse("accounts:erase"), {"password": "guess"})
    assert response.status_code == 400
    assert "That is not your password" in response.content.decode()
    member.refresh_from_db()
    assert member.is_active and member.email == "wren@example.org"
    assert Comment.objects.filter(author=member).count() == 1
    empty = signed_in.post(reverse("accounts:erase"), {})
    assert empty.status_code == 400


def test_erase_with_the_right_password_erases_and_signs_out(signed_in, member):
    response = signed_in.post(reverse("accounts:erase"), {"password": PASSWORD})
    assert response.status_code == 303
    assert response["Location"] == reverse("accounts:erased")
    done = signed_in.get(response["Location"])
    assert "Your account is erased" in done.content.decode()
    assert "_auth_user_id" not in signed_in.session
    user = User.objects.get(pk=member.pk)
    assert not user.is_active and user.email != "wren@example.org"
    assert not Comment.objects.filter(author=member).exists()
    assert not Comment.objects.filter(body_source="Ferries first.").exists()
    # The old password no longer signs in.
    login = Client().post(
        reverse("accounts:login"), {"username": "wren@example.org", "password": PASSWORD}
    )
    assert login.status_code != 302


def test_erase_needs_the_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(reverse("accounts:erase"), {"password": PASSWORD})
    assert response.status_code == 403
    assert User.objects.get(pk=member.pk).is_active
