"""The account pages over HTTP: sign-up to verified, sign-in throttling, reset, profile, avatar."""

import re
from io import BytesIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from broadsheet.accounts.avatars import MAX_BYTES
from broadsheet.accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase"
OLD_PASSWORD = "correct horse battery staple"  # what make_user gives


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BROADSHEET_SITE_URL = "https://news.example.org"
    return settings.MEDIA_ROOT


def link_path(message) -> str:
    return re.search(r"https://news\.example\.org(/\S+)", message.body).group(1)


def text(response) -> str:
    return response.content.decode()


def signup(client, **fields):
    data = {"email": "ada@example.org", "display_name": "Ada Lovelace", "password": PASSWORD}
    return client.post(reverse("accounts:signup"), {**data, **fields})


# -- sign-up and verification ---------------------------------------------------------------------


def test_signup_mail_link_verifies_the_address(client):
    page = client.get(reverse("accounts:signup"))
    assert page.status_code == 200 and 'name="csrfmiddlewaretoken"' in text(page)
    response = signup(client)
    assert response.status_code == 303
    assert response["Location"] == reverse("accounts:verify-sent")
    sent = client.get(response["Location"])
    assert "We sent a message to <strong>ada@example.org</strong>" in text(sent)
    user = User.objects.get()
    assert not user.email_verified
    assert int(client.session["_auth_user_id"]) == user.pk  # signed in straight away
    (message,) = mail.outbox
    assert message.to == ["ada@example.org"]
    verified = client.get(link_path(message))
    assert verified.status_code == 200
    assert "Address confirmed" in text(verified)
    user.refresh_from_db()
    assert user.email_verified


def test_verification_link_works_without_being_signed_in(client):
    signup(client)
    Client().get(link_path(mail.outbox[0]))
    assert User.objects.get().email_verified


def test_broken_verification_link_is_a_clear_400(client):
    signup(client)
    path = link_path(mail.outbox[0])
    response = client.get(path[:-6] + "xxxxx/")
    assert response.status_code == 400
    assert "This link is not valid" in text(response)
    assert not User.objects.get().email_verified


def test_duplicate_email_in_another_case_is_refused_with_a_message(client, make_user):
    make_user(email="ada@example.org", display_name="Someone")
    response = signup(client, email="ADA@Example.org")
    assert response.status_code == 400
    assert "An account with this e-mail address already exists" in text(response)
    assert User.objects.count() == 1
    assert mail.outbox == []


def test_confusable_display_name_is_refused_with_a_message(client, make_user):
    make_user(display_name="Ada Lovelace")
    response = signup(client, display_name="Ad\u0430 L0velace")
    assert response.status_code == 400
    assert "looks too much like a member" in text(response)
    assert not User.objects.filter(email="ada@example.org").exists()


def test_weak_password_and_missing_fields_are_refused(client):
    weak = signup(client, password="password")
    assert weak.status_code == 400 and "too common" in text(weak)
    empty = client.post(reverse("accounts:signup"), {})
    assert empty.status_code == 400 and "This field is required." in text(empty)
    assert not User.objects.exists()


def test_signup_form_escapes_what_it_echoes(client):
    response = signup(client, display_name="<script>alert(1)</script>", password="short")
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in text(response)
    assert "&lt;script&gt;" in text(response)


def test_resend_verification_is_throttled(client):
    signup(client)
    response = client.post(reverse("accounts:verify-resend"))
    assert response.status_code == 429
    assert "less than 60 seconds ago" in text(response)
    assert len(mail.outbox) == 1


def test_resend_verification_sends_a_working_link(client, make_user):
    user = make_user(verified=False)
    client.force_login(user)
    profile = client.get(reverse("accounts:profile"))
    assert "not confirmed" in text(profile) and "Send the link again" in text(profile)
    response = client.post(reverse("accounts:verify-resend"))
    assert response.status_code == 303
    client.get(link_path(mail.outbox[0]))
    assert User.objects.get(pk=user.pk).email_verified
    assert "confirmed" in text(client.get(reverse("accounts:profile")))


# -- sign-in, throttling, sign-out ----------------------------------------------------------------


def login(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_login_with_any_case_of_the_address_and_logout(client, make_user):
    user = make_user(email="grace@example.org")
    response = login(client, "Grace@Example.org", OLD_PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get(reverse("accounts:logout")).status_code == 405  # sign-out is a POST
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


def test_wrong_password_is_a_clear_message(client, make_user):
    make_user(email="grace@example.org")
    response = login(client, "grace@example.org", "wrong")
    assert response.status_code == 200
    assert "do not match an account" in text(response)


def test_login_locks_after_five_failures(client, make_user):
    make_user(email="grace@example.org")
    for attempt in range(4):
        assert login(client, "grace@example.org", f"wrong{attempt}").status_code == 200
    # The fifth failure, in another case of the address, still counts against the same lock.
    fifth = login(client, "GRACE@example.org", "wrong5")
    assert fifth.status_code == 429
    assert "Sign-in paused" in text(fifth)
    assert "5 failed attempts" in text(fifth) and "15 minutes" in text(fifth)
    right = login(client, "grace@example.org", OLD_PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_another_address_is_not_locked_by_someone_elses_failures(client, make_user):
    make_user(email="grace@example.org")
    other = make_user(email="alan@example.org")
    for attempt in range(5):
        login(client, "grace@example.org", f"wrong{attempt}")
    assert login(client, "alan@example.org", OLD_PASSWORD).status_code == 302
    assert int(client.session["_auth_user_id"]) == other.pk


# -- password reset -------------------------------------------------------------------------------


def test_password_reset_full_flow(client, make_user):
    user = make_user(email="grace@example.org")
    assert client.get(reverse("accounts:password-reset")).status_code == 200
    response = client.post(reverse("accounts:password-reset"), {"email": "Grace@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-done")
    (message,) = mail.outbox
    assert message.to == ["grace@example.org"] and "Reset your" in message.subject
    link = client.get(link_path(message))
    assert link.status_code == 302 and link["Location"].endswith("/set-password/")
    form = client.get(link["Location"])
    assert "Choose a new password" in text(form)
    mismatch = client.post(
        link["Location"], {"new_password1": PASSWORD, "new_password2": PASSWORD + "x"}
    )
    assert mismatch.status_code == 200 and "didn’t match" in text(mismatch)
    done = client.post(link["Location"], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password-reset-complete")
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)
    # The link works once.
    again = Client().get(link_path(message), follow=True)
    assert "This link does not work" in text(again)
    assert login(Client(), "grace@example.org", PASSWORD).status_code == 302


def test_password_reset_says_the_same_for_unknown_addresses(client):
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert mail.outbox == []


def test_password_reset_lifts_a_lockout(client, make_user):
    make_user(email="grace@example.org")
    for attempt in range(5):
        login(client, "grace@example.org", f"wrong{attempt}")
    client.post(reverse("accounts:password-reset"), {"email": "grace@example.org"})
    set_url = client.get(link_path(mail.outbox[0]))["Location"]
    client.post(set_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert login(client, "grace@example.org", PASSWORD).status_code == 302


# -- profile --------------------------------------------------------------------------------------


def test_profile_needs_sign_in(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_profile_shows_status_and_every_form_with_csrf(client, make_user):
    user = make_user(display_name="Grace Hopper")
    client.force_login(user)
    page = text(client.get(reverse("accounts:profile")))
    assert "confirmed" in page and "Grace Hopper" in page
    assert page.count('name="csrfmiddlewaretoken"') >= 4
    assert user.email in page


def test_edit_profile(client, make_user):
    user = make_user()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile-edit"), {"display_name": "Grace Hopper", "bio": "<b>Hi</b>"}
    )
    assert response.status_code == 303
    user.refresh_from_db()
    assert (user.display_name, user.bio) == ("Grace Hopper", "<b>Hi</b>")
    page = text(client.get(reverse("accounts:profile")))
    assert "Your profile is saved." in page
    assert "&lt;b&gt;Hi&lt;/b&gt;" in page


def test_edit_profile_refuses_a_members_name(client, make_user):
    make_user(display_name="Grace Hopper")
    user = make_user(display_name="Alan Turing")
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile-edit"), {"display_name": "GRACE HOPPER", "bio": ""}
    )
    assert response.status_code == 400
    assert "looks too much like a member" in text(response)
    assert User.objects.get(pk=user.pk).display_name == "Alan Turing"


def test_forms_refuse_posts_without_csrf_token(make_user):
    client = Client(enforce_csrf_checks=True)
    user = make_user(display_name="Alan Turing")
    client.force_login(user)
    response = client.post(reverse("accounts:profile-edit"), {"display_name": "X Y", "bio": ""})
    assert response.status_code == 403
    assert User.objects.get(pk=user.pk).display_name == "Alan Turing"
    assert Client(enforce_csrf_checks=True).post(reverse("accounts:signup"), {}).status_code == 403


def test_change_password_keeps_this_session(client, make_user):
    user = make_user()
    client.force_login(user)
    wrong = client.post(
        reverse("accounts:password-change"),
        {"current_password": "nope", "new_password": PASSWORD, "new_password_again": PASSWORD},
    )
    assert wrong.status_code == 400 and "not your current password" in text(wrong)
    response = client.post(
        reverse("accounts:password-change"),
        {
            "current_password": OLD_PASSWORD,
            "new_password": PASSWORD,
            "new_password_again": PASSWORD,
        },
    )
    assert response.status_code == 303
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_change_email_flow(client, make_user):
    user = make_user(email="old@example.org")
    client.force_login(user)
    response = client.post(
        reverse("accounts:email-change"), {"new_email": "New@example.org", "password": OLD_PASSWORD}
    )
    assert response.status_code == 303
    page = text(client.get(reverse("accounts:profile")))
    assert "We sent a link to new@example.org" in page
    assert User.objects.get(pk=user.pk).email == "old@example.org"  # not yet
    (message,) = mail.outbox
    assert message.to == ["new@example.org"]
    confirmed = client.get(link_path(message))
    assert confirmed.status_code == 200 and "Address changed" in text(confirmed)
    user.refresh_from_db()
    assert user.email == "new@example.org" and user.email_verified
    assert mail.outbox[1].to == ["old@example.org"]
    assert login(Client(), "new@example.org", OLD_PASSWORD).status_code == 302


def test_change_email_refused_without_the_password(client, make_user):
    client.force_login(make_user(email="old@example.org"))
    response = client.post(
        reverse("accounts:email-change"), {"new_email": "new@example.org", "password": "nope"}
    )
    assert response.status_code == 400 and "not your current password" in text(response)
    assert mail.outbox == []


# -- avatar ---------------------------------------------------------------------------------------


def png_upload(width=300, height=200, name="me.png") -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), "image/png")


def files_under(media) -> list:
    return sorted(media.rglob("*")) if media.exists() else []


def upload(client, file):
    return client.post(reverse("accounts:avatar"), {"avatar": file})


def test_avatar_upload_stores_both_sizes_and_shows_them(client, make_user, media):
    user = make_user()
    client.force_login(user)
    response = upload(client, png_upload())
    assert response.status_code == 303
    user.refresh_from_db()
    key = user.avatar_key
    for size in (48, 128):
        path = media / f"{key}-{size}.webp"
        assert path.exists()
        with Image.open(path) as image:
            assert image.format == "WEBP" and image.size == (size, size)
    page = text(client.get(reverse("accounts:profile")))
    assert f"/media/{key}-128.webp" in page and "Remove picture" in page


def test_avatar_replace_and_remove_delete_the_files(
    client, make_user, media, django_capture_on_commit_callbacks
):
    client.force_login(make_user())
    upload(client, png_upload())
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, png_upload(64, 64))
    assert len([p for p in files_under(media) if p.is_file()]) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("accounts:avatar-remove")).status_code == 303
    assert [p for p in files_under(media) if p.is_file()] == []


@pytest.mark.parametrize(
    ("make_file", "status", "message"),
    [
        (
            lambda: SimpleUploadedFile("notes.png", b"not a picture at all\n" * 50, "image/png"),
            400,
            "That file is not a picture we can read",
        ),
        (
            lambda: SimpleUploadedFile(
                "big.png", b"\x89PNG" + b"\x00" * (MAX_BYTES + 1), "image/png"
            ),
            413,
            "the limit is 2 MB",
        ),
        (lambda: png_upload(4500, 20), 400, "the limit is 4000x4000"),
    ],
    ids=["text", "oversized", "huge-dimensions"],
)
def test_bad_avatar_is_refused_with_a_message_and_nothing_written(
    client, make_user, media, make_file, status, message
):
    user = make_user()
    client.force_login(user)
    response = upload(client, make_file())
    assert response.status_code == status
    assert message in text(response)
    assert files_under(media) == []
    assert User.objects.get(pk=user.pk).avatar_key == ""


def test_avatar_post_without_a_file_is_a_400(client, make_user, media):
    client.force_login(make_user())
    response = client.post(reverse("accounts:avatar"), {})
    assert response.status_code == 400 and "This field is required." in text(response)
    assert files_under(media) == []


def test_admin_lists_and_finds_accounts(client, make_user):
    admin = make_user(display_name="Site Admin", is_staff=True, is_superuser=True)
    make_user(email="findme@example.org", display_name="Findable Person")
    client.force_login(admin)
    page = client.get(reverse("admin:accounts_user_changelist"), {"q": "findable"})
    assert page.status_code == 200
    assert "findme@example.org" in text(page)
    assert client.get(reverse("admin:accounts_user_change", args=[admin.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403
