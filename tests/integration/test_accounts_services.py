"""Account services against the database: what each accepts, refuses, writes and mails."""

import re
from contextlib import contextmanager
from datetime import timedelta
from io import BytesIO

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from broadsheet.accounts import services, throttles, tokens
from broadsheet.accounts.models import User
from broadsheet.core.errors import InvalidInput

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase"
OLD_PASSWORD = "correct horse battery staple"  # what make_user gives


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BROADSHEET_SITE_URL = "https://news.example.org"
    return settings.MEDIA_ROOT


def register(**fields) -> User:
    fields.setdefault("email", "ada@example.org")
    fields.setdefault("password", PASSWORD)
    fields.setdefault("display_name", "Ada Lovelace")
    return services.user_register(**fields)


@contextmanager
def refused(code: str, field: str | None = None):
    """The block must raise InvalidInput with this code (and field)."""
    with pytest.raises(InvalidInput) as caught:
        yield caught
    assert caught.value.code == code, caught.value.message
    if field is not None:
        assert caught.value.field == field


def link_in(message) -> str:
    return re.search(r"https://news\.example\.org(/\S+)", message.body).group(1)


def token_in(message) -> str:
    return link_in(message).rstrip("/").rsplit("/", 1)[1]


# -- registration ---------------------------------------------------------------------------------


def test_register_creates_unverified_account_and_mails_the_link():
    user = register(email="  Ada@Example.ORG ")
    assert user.email == "ada@example.org"
    assert user.name_key == "adalovelace"
    assert not user.email_verified
    assert user.check_password(PASSWORD)
    assert user.password.startswith("md5$")  # hashed (Argon2 outside tests)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.org"]
    assert "Confirm your e-mail address" in message.subject
    assert "/accounts/verify/" in message.body
    html = message.alternatives[0]
    assert html.mimetype == "text/html" and link_in(message) in html.content


def test_register_refuses_an_address_taken_in_another_case():
    register(email="ada@example.org")
    with refused("email_taken", "email"):
        register(email="ADA@example.org", display_name="Someone Else")
    assert User.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("email", ["", "not-an-address", "a@", "a@b@c.org", "a\x00b@example.org"])
def test_register_refuses_invalid_addresses(email):
    with pytest.raises(InvalidInput) as caught:
        register(email=email)
    assert caught.value.field == "email"
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "lookalike",
    ["ada lovelace", "ADA  LOVELACE", "Ad\u0430 Lovelace", "Ada L0velace", "Ada_Lovelace"],
)
def test_register_refuses_a_name_confusable_with_a_members(make_user, lookalike):
    make_user(display_name="Ada Lovelace", email="first@example.org")
    with refused("name_taken", "display_name") as info:
        register(email="second@example.org", display_name=lookalike)
    assert "looks too much like" in info.value.message
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("", "name_required"),
        ("   ", "name_required"),
        ("x" * 51, "name_too_long"),
        ("!!!", "name_invalid"),
        ("Ada\u202eLovelace", "name_hidden_character"),
        ("Ada\u200bLovelace", "name_hidden_character"),
        ("Ada\x07", "control_character"),
        ("Adm1n", "name_reserved"),
    ],
)
def test_register_refuses_bad_display_names(name, code):
    with refused(code, "display_name"):
        register(display_name=name)
    assert not User.objects.exists()


def test_register_tidies_spaces_in_the_name_and_accepts_fifty_characters():
    assert register(display_name="  Ada   Lovelace ").display_name == "Ada Lovelace"
    assert register(email="b@example.org", display_name="y" * 50).display_name == "y" * 50


def test_register_accepts_a_long_korean_name_whose_key_outgrows_fifty():
    user = register(display_name="가나다라마바사아자차카타파하" * 3)
    assert len(user.name_key) > 50
    assert User.objects.get(pk=user.pk).name_key == user.name_key


@pytest.mark.parametrize("password", ["short", "password123", "12345678901", "ada@example.org"])
def test_register_refuses_weak_passwords(password):
    with refused("password_weak", "password"):
        register(password=password)
    assert not User.objects.exists()


# -- verification ---------------------------------------------------------------------------------


def test_verification_link_verifies_once_and_second_use_is_harmless():
    user = register()
    token = token_in(mail.outbox[0])
    assert services.user_verify_email(token=token).email_verified
    user.refresh_from_db()
    assert user.email_verified
    first = user.email_verified_at
    assert services.user_verify_email(token=token).email_verified_at == first


def test_verification_link_refused_when_forged():
    register()
    token = token_in(mail.outbox[0])
    with refused("link_invalid"):
        services.user_verify_email(token=token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    with refused("link_invalid"):
        services.user_verify_email(token="garbage")


def test_verification_link_expires(monkeypatch):
    register()
    token = token_in(mail.outbox[0])
    monkeypatch.setitem(tokens.MAX_AGE, tokens.VERIFY_PURPOSE, timedelta(seconds=-1))
    with refused("link_expired"):
        services.user_verify_email(token=token)
    assert not User.objects.get().email_verified


def test_verification_token_cannot_confirm_an_email_change(make_user):
    user = make_user(verified=False)
    token = tokens.email_token_make(user=user, email="x@example.org", purpose=tokens.VERIFY_PURPOSE)
    with refused("link_invalid"):
        services.user_confirm_email_change(token=token)


def test_old_verification_link_dies_when_the_address_changes(make_user):
    user = make_user(verified=False, email="old@example.org")
    token = tokens.email_token_make(user=user, email=user.email, purpose=tokens.VERIFY_PURPOSE)
    User.objects.filter(pk=user.pk).update(email="other@example.org")
    with refused("link_used"):
        services.user_verify_email(token=token)


def test_resend_is_throttled_then_allowed(make_user):
    user = make_user(verified=False)
    services.user_resend_verification(user=user)
    assert len(mail.outbox) == 1
    with pytest.raises(throttles.TooSoon) as caught:
        services.user_resend_verification(user=user)
    assert caught.value.status == 429
    assert len(mail.outbox) == 1


def test_resend_refused_when_already_verified(make_user):
    with refused("already_verified"):
        services.user_resend_verification(user=make_user(verified=True))
    assert mail.outbox == []


# -- e-mail change --------------------------------------------------------------------------------


def test_change_email_takes_effect_only_when_the_link_is_followed(make_user):
    user = make_user(email="old@example.org")
    assert (
        services.user_change_email(
            user=user,
            new_email="New@Example.org",
            password=PASSWORD.replace(
                "a long and unusual passphrase", "correct horse battery staple"
            ),
        )
        == "new@example.org"
    )
    user.refresh_from_db()
    assert user.email == "old@example.org"
    (message,) = mail.outbox
    assert message.to == ["new@example.org"]
    changed = services.user_confirm_email_change(token=token_in(message))
    assert changed.email == "new@example.org" and changed.email_verified
    assert User.objects.get(pk=user.pk).email == "new@example.org"
    notice = mail.outbox[1]
    assert notice.to == ["old@example.org"]
    assert "new e-mail address" in notice.subject


def test_change_email_link_works_once(make_user):
    user = make_user(email="old@example.org")
    services.user_change_email(user=user, new_email="new@example.org", password=OLD_PASSWORD)
    token = token_in(mail.outbox[0])
    services.user_confirm_email_change(token=token)
    assert services.user_confirm_email_change(token=token).email == "new@example.org"
    # A link to a third address made before the change no longer works after it.
    stale = tokens.email_token_make(
        user=user, email="third@example.org", purpose=tokens.CHANGE_PURPOSE
    )
    with refused("link_used"):
        services.user_confirm_email_change(token=stale)


def test_change_email_needs_the_password(make_user):
    user = make_user()
    with refused("password_wrong", "password"):
        services.user_change_email(user=user, new_email="new@example.org", password="wrong")
    assert mail.outbox == []


def test_change_email_refuses_an_address_in_use(make_user):
    make_user(email="taken@example.org")
    user = make_user()
    with refused("email_taken", "new_email"):
        services.user_change_email(user=user, new_email="TAKEN@example.org", password=OLD_PASSWORD)


def test_change_email_refused_at_confirmation_if_taken_since(make_user):
    user = make_user()
    services.user_change_email(user=user, new_email="new@example.org", password=OLD_PASSWORD)
    make_user(email="new@example.org")
    with refused("email_taken"):
        services.user_confirm_email_change(token=token_in(mail.outbox[0]))
    assert User.objects.get(pk=user.pk).email != "new@example.org"


# -- passwords ------------------------------------------------------------------------------------


def test_change_password_checks_the_current_one_and_the_validators(make_user):
    user = make_user()
    with refused("password_wrong", "current_password"):
        services.user_change_password(user=user, current_password="nope", new_password=PASSWORD)
    with refused("password_weak", "new_password"):
        services.user_change_password(
            user=user, current_password=OLD_PASSWORD, new_password="12345678"
        )
    services.user_change_password(user=user, current_password=OLD_PASSWORD, new_password=PASSWORD)
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_reset_request_mails_known_active_accounts_only(make_user):
    make_user(email="known@example.org")
    make_user(email="gone@example.org", is_active=False)
    services.user_request_password_reset(email="KNOWN@example.org")
    services.user_request_password_reset(email="gone@example.org")
    services.user_request_password_reset(email="nobody@example.org")
    services.user_request_password_reset(email="not an address")
    assert [m.to for m in mail.outbox] == [["known@example.org"]]
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_reset_requests_are_quietly_throttled(make_user):
    make_user(email="known@example.org")
    services.user_request_password_reset(email="known@example.org")
    services.user_request_password_reset(email="known@example.org")
    assert len(mail.outbox) == 1


def test_reset_verifies_the_address_and_lifts_the_lockout(make_user):
    user = make_user(email="locked@example.org", verified=False)
    AccessAttempt.objects.create(
        username="locked@example.org", ip_address="10.0.0.1", failures_since_start=5,
        user_agent="", get_data="", post_data="", http_accept="", path_info="",
    )  # fmt: skip
    services.user_reset_password(user=user, new_password=PASSWORD)
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and user.email_verified
    assert not AccessAttempt.objects.filter(username="locked@example.org").exists()


# -- profile and avatar ---------------------------------------------------------------------------


def test_update_profile_saves_name_key_and_bio(make_user):
    user = make_user(display_name="Old Name")
    services.user_update_profile(
        user=user, display_name="Grace Hopper", bio="Line one\r\nLine two "
    )
    user.refresh_from_db()
    assert (user.display_name, user.name_key, user.bio) == (
        "Grace Hopper", "gracehopper", "Line one\nLine two",
    )  # fmt: skip


def test_update_profile_may_keep_ones_own_name_but_not_take_anothers(make_user):
    make_user(display_name="Grace Hopper")
    user = make_user(display_name="Ada Lovelace")
    services.user_update_profile(user=user, display_name="ADA LOVELACE", bio="")
    with refused("name_taken", "display_name"):
        services.user_update_profile(user=user, display_name="Grace H0pper", bio="")
    assert User.objects.get(pk=user.pk).display_name == "ADA LOVELACE"


def test_update_profile_refuses_long_bio_and_nul(make_user):
    user = make_user()
    with refused("bio_too_long", "bio"):
        services.user_update_profile(user=user, display_name="Fine Name", bio="x" * 2001)
    with refused("nul_byte", "bio"):
        services.user_update_profile(user=user, display_name="Fine Name", bio="a\x00b")
    assert User.objects.get(pk=user.pk).display_name != "Fine Name"


def png(width=200, height=150, color=(30, 120, 200)) -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return SimpleUploadedFile("me.png", out.getvalue(), "image/png")


def stored(media) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*.webp"))


def test_set_avatar_stores_both_sizes_and_replacing_deletes_the_old(
    make_user, media, django_capture_on_commit_callbacks
):
    user = make_user()
    services.user_set_avatar(user=user, upload=png())
    first = User.objects.get(pk=user.pk).avatar_key
    assert first.startswith(f"avatars/{user.pk}/")
    assert stored(media) == [f"{first}-128.webp", f"{first}-48.webp"]
    with django_capture_on_commit_callbacks(execute=True):
        services.user_set_avatar(user=user, upload=png(color=(200, 0, 0)))
    second = User.objects.get(pk=user.pk).avatar_key
    assert second != first
    assert stored(media) == [f"{second}-128.webp", f"{second}-48.webp"]
    assert default_storage.exists(f"{second}-48.webp")


def test_refused_avatar_writes_nothing(make_user, media):
    user = make_user()
    with refused("avatar_not_image", "avatar"):
        services.user_set_avatar(
            user=user, upload=SimpleUploadedFile("a.png", b"hello", "image/png")
        )
    assert stored(media) == []
    assert User.objects.get(pk=user.pk).avatar_key == ""


def test_remove_avatar_goes_back_to_the_identicon(
    make_user, media, django_capture_on_commit_callbacks
):
    user = make_user()
    services.user_set_avatar(user=user, upload=png())
    with django_capture_on_commit_callbacks(execute=True):
        services.user_remove_avatar(user=user)
    assert User.objects.get(pk=user.pk).avatar_key == ""
    assert stored(media) == []


def test_sign_in_name_is_case_blind(make_user):
    user = make_user(email="case@example.org")
    assert User.objects.get_by_natural_key("CASE@Example.org") == user


# -- with the database task backend (what `make run` and production use) ---------------------------


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


def run_worker() -> None:
    """What `db_worker` does with each queued row (the command itself closes connections,
    which would end the test's transaction on PostgreSQL)."""
    from django_tasks_db.models import DBTaskResult

    for queued in DBTaskResult.objects.order_by("enqueued_at"):
        queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])


def test_mail_is_queued_with_the_account_and_holds_no_token(db_tasks):
    from django_tasks_db.models import DBTaskResult

    user = register()
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "broadsheet.accounts.tasks.verification_mail_send"
    assert queued.args_kwargs["args"] == [user.pk]
    assert mail.outbox == []
    run_worker()
    (message,) = mail.outbox
    services.user_verify_email(token=token_in(message))
    assert User.objects.get(pk=user.pk).email_verified


def test_refused_registration_queues_no_mail(db_tasks, make_user):
    from django_tasks_db.models import DBTaskResult

    make_user(email="ada@example.org")
    with refused("email_taken"):
        register()
    assert not DBTaskResult.objects.exists()


def test_a_mail_whose_purpose_passed_is_not_sent(db_tasks):
    user = register()
    User.objects.filter(pk=user.pk).update(email_verified_at=user.date_joined)
    run_worker()
    assert mail.outbox == []
