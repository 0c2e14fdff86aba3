"""Reply-notification pages: the form's checkbox, the confirmation and unsubscribe pages,
member preferences, and the Author / Staff badges on comments."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from broadsheet.accounts.viewers import Viewer
from broadsheet.discussion.models import Comment
from broadsheet.moderation.intake import submit_comment
from broadsheet.notifications import tokens
from broadsheet.notifications.models import GuestSubscription, ReplyMail
from broadsheet.notifications.selectors import reply_mail_preference

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site(settings):
    settings.BROADSHEET_SITE_URL = "https://news.example.org"


def post(client, thread, **data):
    return client.post(reverse("web:comment-post", args=[thread.pk]), data)


def path_in(message, marker: str) -> str:
    return re.search(rf"https://news\.example\.org(\S*{marker}\S*/)", message.body).group(1)


@pytest.fixture
def subscribed_guest(client, article, django_capture_on_commit_callbacks):
    """A guest who commented with "notify me" and got the confirmation mail."""
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            article.thread,
            body="Ferries first.",
            name="Dana",
            email="dana@example.org",
            notify="1",
        )
    assert response.status_code == 303
    (message,) = mail.outbox
    return path_in(message, "/notifications/confirm/")


# -- the comment form -----------------------------------------------------------------------------


def test_guest_form_offers_notify_checkbox_and_members_do_not_see_it(client, article, make_user):
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<input type="checkbox" name="notify" value="1">' in page
    assert "Notify me of replies by e-mail" in page
    client.force_login(make_user())
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'name="notify"' not in page


def test_notify_without_email_comes_back_with_the_message(client, article):
    response = post(client, article.thread, body="Hello", name="Dana", notify="1")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-code="notify_needs_email"' in page
    assert 'name="notify" value="1" checked' in page
    assert not Comment.objects.exists() and mail.outbox == []


# -- confirming -----------------------------------------------------------------------------------


def test_confirm_page_asks_first_then_confirms_on_post(client, subscribed_guest):
    page = client.get(subscribed_guest)
    assert page.status_code == 200
    assert "Until you confirm, we send nothing" in page.content.decode()
    assert not GuestSubscription.objects.get().confirmed  # a prefetching scanner confirms nothing
    done = client.post(subscribed_guest)
    assert done.status_code == 200
    assert "Reply notifications confirmed" in done.content.decode()
    subscription = GuestSubscription.objects.get()
    assert subscription.confirmed and subscription.email == "dana@example.org"
    again = client.get(subscribed_guest).content.decode()
    assert "Already confirmed" in again


def test_confirm_post_needs_the_csrf_token(article, subscribed_guest):
    response = Client(enforce_csrf_checks=True).post(subscribed_guest)
    assert response.status_code == 403
    assert not GuestSubscription.objects.get().confirmed


def test_bad_confirm_link_is_a_clear_400(client):
    for method in (client.get, client.post):
        response = method(reverse("web:notification-confirm", args=["nonsense:abc:def"]))
        assert response.status_code == 400
        assert 'data-code="link_invalid"' in response.content.decode()


# -- unsubscribing --------------------------------------------------------------------------------


def member_unsubscribe_path(user) -> str:
    token = tokens.unsubscribe_token_make(kind=tokens.USER, id=user.pk)
    return reverse("web:notification-unsubscribe", args=[token])


def test_unsubscribe_get_shows_a_button_and_changes_nothing(client, make_user):
    alice = make_user()
    page = client.get(member_unsubscribe_path(alice))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<form method="post"' in html and "Stop these e-mails" in html
    assert reply_mail_preference(user=alice) == ReplyMail.REPLIES


def test_unsubscribe_post_works_without_cookies_or_csrf(make_user):
    alice = make_user()
    response = Client(enforce_csrf_checks=True).post(
        member_unsubscribe_path(alice),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "Reply e-mails stopped" in response.content.decode()
    assert reply_mail_preference(user=alice) == ReplyMail.NONE


def test_guest_unsubscribe_deletes_the_subscription(
    client, article, make_user, subscribed_guest, django_capture_on_commit_callbacks
):
    client.post(subscribed_guest)
    bob = make_user()
    top = Comment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        submit_comment(thread=article.thread, viewer=Viewer(user=bob), body="Re", parent_id=top.pk)
    notice = mail.outbox[-1]
    path = notice.extra_headers["List-Unsubscribe"][1:-1].removeprefix("https://news.example.org")
    assert client.post(path).status_code == 200
    assert not GuestSubscription.objects.exists()


def test_bad_unsubscribe_link_is_a_clear_400(client):
    response = client.get(reverse("web:notification-unsubscribe", args=["forged:abc:def"]))
    assert response.status_code == 400
    assert 'data-code="link_invalid"' in response.content.decode()


# -- member preferences ---------------------------------------------------------------------------


def test_preferences_need_sign_in(client):
    response = client.get(reverse("web:notification-preferences"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_preferences_page_and_profile_section_show_and_save_the_choice(client, make_user):
    alice = make_user()
    client.force_login(alice)
    page = client.get(reverse("web:notification-preferences")).content.decode()
    assert 'value="replies" checked' in page and 'value="none" checked' not in page
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert 'id="notifications"' in profile and 'value="replies" checked' in profile
    response = client.post(
        reverse("web:notification-preferences"), {"replies": "none", "next": "profile"}
    )
    assert response.status_code == 303
    assert response["Location"] == reverse("accounts:profile") + "#notifications"
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert 'value="none" checked' in profile
    assert alice.notification_preference.replies == ReplyMail.NONE


def test_preferences_refuse_an_unknown_choice(client, make_user):
    client.force_login(make_user())
    response = client.post(reverse("web:notification-preferences"), {"replies": "all"})
    assert response.status_code == 400
    assert 'data-code="preference_invalid"' in response.content.decode()


# -- badges ---------------------------------------------------------------------------------------


def comment_html(page: str, comment: Comment) -> str:
    start = page.index(f'id="c-{comment.pk}"')
    return page[start : page.index("</header>", start)]


def test_article_author_and_staff_carry_badges(client, article, author, make_user):
    editor = make_user(display_name="Ed Itor", is_staff=True)
    reader = make_user(display_name="Rea Der")
    by = {}
    for user in (author, editor, reader):
        by[user.pk] = submit_comment(
            thread=article.thread, viewer=Viewer(user=user), body="Hello"
        ).comment
    guest = submit_comment(
        thread=article.thread, viewer=Viewer(guest_key="g"), body="Hi", guest_name="Staff"
    ).comment
    page = client.get(article.get_absolute_url()).content.decode()
    assert ">Author</span>" in comment_html(page, by[author.pk])
    assert ">Staff</span>" not in comment_html(page, by[author.pk])
    assert ">Staff</span>" in comment_html(page, by[editor.pk])
    assert "badge role" not in comment_html(page, by[reader.pk])
    assert "badge role" not in comment_html(page, guest)
    permalink = client.get(reverse("web:comment", args=[by[author.pk].pk])).content.decode()
    assert ">Author</span>" in permalink


def test_badges_cost_no_query_per_comment(client, article, make_user):
    def queries() -> int:
        cache.clear()  # a render each time: five posts at once would be a flood (page_cache.py)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(article.get_absolute_url()).status_code == 200
        return len(captured)

    staff = [make_user(is_staff=True) for _ in range(6)]
    submit_comment(thread=article.thread, viewer=Viewer(user=staff[0]), body="First")
    few = queries()
    for user in staff[1:]:
        submit_comment(thread=article.thread, viewer=Viewer(user=user), body="More")
    assert queries() == few
