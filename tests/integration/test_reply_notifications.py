"""Reply notifications: who is mailed, what the mail may contain, double opt-in for guests,
one-click unsubscribe, and delivery through django.tasks (in-process and the database worker)."""

import email.policy
import re
import time
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from broadsheet.accounts.viewers import Viewer
from broadsheet.core.errors import InvalidInput
from broadsheet.discussion.models import Comment, CommentStatus
from broadsheet.moderation.intake import submit_comment
from broadsheet.moderation.services import comment_approve
from broadsheet.notifications import services, tasks, tokens
from broadsheet.notifications.models import GuestSubscription, ReplyMail, ReplyNotice
from broadsheet.notifications.services import reply_notifications_enqueue

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"
SUBJECT = "New reply to your comment on The Broadsheet"


@pytest.fixture(autouse=True)
def site(settings):
    settings.BROADSHEET_SITE_URL = SITE
    settings.BROADSHEET_SITE_NAME = "The Broadsheet"


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """Posts through the one intake and runs what it scheduled for after the commit."""

    def post(thread, viewer: Viewer, body: str = "A comment.", **fields) -> Comment:
        with django_capture_on_commit_callbacks(execute=True):
            return submit_comment(thread=thread, viewer=viewer, body=body, **fields).comment

    return post


def member(user) -> Viewer:
    return Viewer(user=user)


def guest_viewer(key: str) -> Viewer:
    return Viewer(guest_key=key)


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def confirm_link(message) -> str:
    (link,) = [u for u in links_in(message.body) if "/notifications/confirm/" in u]
    return link


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


def html_of(message) -> str:
    ((html, kind),) = message.alternatives
    assert kind == "text/html"
    return html


@contextmanager
def refused(code: str):
    with pytest.raises(InvalidInput) as caught:
        yield
    assert caught.value.code == code, caught.value.message


# -- members --------------------------------------------------------------------------------------


def test_member_gets_one_mail_for_a_reply_with_a_link_to_it(article, make_user, post):
    alice = make_user(display_name="Alice Example", email="alice@example.org")
    bob = make_user(display_name="Bob Replier")
    top = post(article.thread, member(alice), "Where is the money coming from?")
    reply = post(article.thread, member(bob), "From the **harbour fund**.", parent_id=top.pk)
    (message,) = mail.outbox
    assert message.to == ["alice@example.org"]
    assert message.subject == SUBJECT
    permalink = f"{SITE}/comments/{reply.pk}/"
    assert permalink in message.body and permalink in html_of(message)
    assert "Bob Replier" in message.body and "From the harbour fund." in message.body
    assert "**" not in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{SITE}/notifications/unsub")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message.extra_headers["List-Unsubscribe"][1:-1]
    assert unsubscribe in message.body and unsubscribe in html_of(message)
    # On the wire the URL stays one plain line, not RFC 2047 words a provider would not read.
    wire = message.message(policy=email.policy.SMTP).as_bytes()
    assert f"\r\nList-Unsubscribe: <{unsubscribe}>\r\n".encode() in wire


def test_no_mail_for_a_top_level_comment_or_a_reply_to_oneself(article, make_user, post):
    alice = make_user()
    top = post(article.thread, member(alice))
    post(article.thread, member(alice), "Adding to my own point.", parent_id=top.pk)
    assert mail.outbox == []


def test_no_mail_with_preference_none(article, make_user, post):
    alice, bob = make_user(), make_user()
    services.reply_mail_preference_set(user=alice, replies=ReplyMail.NONE)
    top = post(article.thread, member(alice))
    post(article.thread, member(bob), parent_id=top.pk)
    assert mail.outbox == []


def test_no_mail_to_an_unverified_address(article, make_user, post):
    alice, bob = make_user(), make_user()
    top = post(article.thread, member(alice))
    type(alice).objects.filter(pk=alice.pk).update(email_verified_at=None)
    post(article.thread, member(bob), parent_id=top.pk)
    assert mail.outbox == []


def test_no_mail_for_a_held_reply(make_article, make_user, post):
    article = make_article()
    alice, bob = make_user(), make_user()
    top = post(article.thread, member(alice))
    article.thread.premoderated = True
    article.thread.save(update_fields=["premoderated"])
    reply = post(article.thread, member(bob), parent_id=top.pk)
    assert reply.status == CommentStatus.HELD
    assert mail.outbox == []


def test_a_reply_is_told_once_however_often_it_is_enqueued(article, make_user, post):
    alice, bob = make_user(), make_user()
    top = post(article.thread, member(alice))
    reply = post(article.thread, member(bob), parent_id=top.pk)
    tasks.reply_notification_send.enqueue(reply.pk)
    services.reply_notifications_enqueue(comment_id=reply.pk)
    assert len(mail.outbox) == 1
    assert ReplyNotice.objects.filter(reply=reply).count() == 1


def test_nothing_is_sent_inside_the_request_only_after_commit(
    article, make_user, django_capture_on_commit_callbacks
):
    alice, bob = make_user(), make_user()
    with django_capture_on_commit_callbacks(execute=True):
        top = submit_comment(thread=article.thread, viewer=member(alice), body="Top").comment
    with django_capture_on_commit_callbacks(execute=False) as scheduled:
        submit_comment(thread=article.thread, viewer=member(bob), body="Re", parent_id=top.pk)
    assert mail.outbox == []
    (enqueue,) = [c for c in scheduled if getattr(c, "func", None) is reply_notifications_enqueue]
    enqueue()
    assert len(mail.outbox) == 1


# -- guests: double opt-in ------------------------------------------------------------------------


def test_guest_gets_nothing_until_confirming_then_gets_replies(article, make_user, post):
    dana = guest_viewer("dana-browser")
    top = post(
        article.thread,
        dana,
        "Ferries first.",
        guest_name="Dana",
        guest_email="Dana@Example.org",
        notify=True,
    )
    (confirmation,) = mail.outbox
    assert confirmation.to == ["Dana@Example.org"]
    assert confirmation.subject == "Confirm reply notifications from The Broadsheet"
    assert "List-Unsubscribe" not in confirmation.extra_headers
    link = confirm_link(confirmation)
    pending = GuestSubscription.objects.get()
    assert pending.email == "" and pending.confirmed_at is None
    assert "dana@example.org" not in token_of(link).lower()

    bob = make_user()
    post(article.thread, member(bob), "Ferries cost more.", parent_id=top.pk)
    assert len(mail.outbox) == 1  # not confirmed: no reply mail

    services.guest_subscription_confirm(token=token_of(link))
    confirmed = GuestSubscription.objects.get()
    assert confirmed.email == "Dana@Example.org" and confirmed.confirmed_at is not None
    assert confirmed.email_pad == ""
    services.guest_subscription_confirm(token=token_of(link))  # twice is harmless

    reply = post(article.thread, member(bob), "Still more.", parent_id=top.pk)
    notice = mail.outbox[-1]
    assert len(mail.outbox) == 2
    assert notice.to == ["Dana@Example.org"] and notice.subject == SUBJECT
    assert f"{SITE}/comments/{reply.pk}/" in notice.body


def test_subscription_covers_only_the_same_browser_and_address(article, make_user, post):
    dana = guest_viewer("dana-browser")
    top = post(article.thread, dana, guest_name="Dana", guest_email="dana@example.org", notify=True)
    services.guest_subscription_confirm(token=token_of(confirm_link(mail.outbox[0])))
    mail.outbox.clear()
    # The same address typed from another browser is not Dana's subscription.
    other = post(
        article.thread,
        guest_viewer("someone-else"),
        guest_name="Dan",
        guest_email="dana@example.org",
    )
    # Dana's comment without her address is not covered either.
    bare = post(article.thread, dana, guest_name="Dana")
    bob = make_user()
    post(article.thread, member(bob), parent_id=other.pk)
    post(article.thread, member(bob), parent_id=bare.pk)
    assert mail.outbox == []
    # Dana answering herself is not news to her.
    post(article.thread, dana, guest_name="Dana", guest_email="dana@example.org", parent_id=top.pk)
    assert mail.outbox == []
    post(article.thread, guest_viewer("third"), guest_name="Zed", parent_id=top.pk)
    assert len(mail.outbox) == 1


def test_notify_without_an_address_is_refused_and_writes_nothing(article):
    with refused("notify_needs_email"):
        submit_comment(
            thread=article.thread,
            viewer=guest_viewer("k"),
            body="Hi",
            guest_name="Dana",
            notify=True,
        )
    assert not Comment.objects.exists() and not GuestSubscription.objects.exists()


def test_confirmation_links_are_limited_and_a_newer_one_replaces_the_older(article, post):
    dana = guest_viewer("dana-browser")
    fields = {"guest_name": "Dana", "guest_email": "dana@example.org", "notify": True}
    post(article.thread, dana, "One", **fields)
    post(article.thread, dana, "Two", **fields)
    assert len(mail.outbox) == 1  # a link went out a moment ago
    GuestSubscription.objects.update(
        requested_at=GuestSubscription.objects.get().requested_at - services.CONFIRM_RESEND_INTERVAL
    )
    post(article.thread, dana, "Three", **fields)
    first, second = mail.outbox
    with refused("link_used"):
        services.guest_subscription_confirm(token=token_of(confirm_link(first)))
    services.guest_subscription_confirm(token=token_of(confirm_link(second)))
    assert GuestSubscription.objects.get().confirmed


def test_a_stranger_address_gets_few_links(article, post):
    for n in range(services.CONFIRM_MAILS_PER_ADDRESS_PER_DAY + 2):
        post(
            article.thread,
            guest_viewer(f"attacker-{n}"),
            guest_name=f"Att {n}",
            guest_email="victim@example.org",
            notify=True,
        )
    assert len(mail.outbox) == services.CONFIRM_MAILS_PER_ADDRESS_PER_DAY


def test_forged_and_expired_confirmation_links_are_refused(article, post):
    post(
        article.thread,
        guest_viewer("k"),
        guest_name="Dana",
        guest_email="d@example.org",
        notify=True,
    )
    token = token_of(confirm_link(mail.outbox[0]))
    with refused("link_invalid"):
        services.guest_subscription_confirm(token=token[:-2] + "xx")
    later = time.time() + tokens.CONFIRM_MAX_AGE.total_seconds() + 60
    with mock.patch("django.core.signing.time.time", return_value=later), refused("link_expired"):
        services.guest_subscription_confirm(token=token)
    assert not GuestSubscription.objects.get().confirmed


def test_expired_pending_subscriptions_are_forgotten(article, post):
    post(
        article.thread,
        guest_viewer("k"),
        guest_name="Dana",
        guest_email="d@example.org",
        notify=True,
    )
    GuestSubscription.objects.update(
        requested_at=GuestSubscription.objects.get().requested_at
        - tokens.CONFIRM_MAX_AGE
        - timedelta(minutes=1)
    )
    post(
        article.thread,
        guest_viewer("other"),
        guest_name="Eve",
        guest_email="e@example.org",
        notify=True,
    )
    assert list(GuestSubscription.objects.values_list("guest_key_hash", flat=True)) == [
        guest_viewer("other").guest_hash
    ]


# -- what a mail may contain ----------------------------------------------------------------------

HOSTILE = """<script>alert("x")</script> **Read this**: [the council's real plan](https://evil.example/phish)
<a href="https://evil.example/raw">raw link</a> or www.evil.example or evil.example/login?x=1
mail me at someone@evil.example — javascript:alert(1) <img src=x onerror=alert(1)>"""


def test_hostile_reply_yields_plain_text_no_links_and_fixed_headers(
    article, make_user, post, moderator, django_capture_on_commit_callbacks
):
    alice = make_user(email="alice@example.org")
    top = post(article.thread, member(alice))
    # Line breaks in the name try to add headers; tags and a URL try to add HTML and links.
    name = "Eve\r\nBcc: v@evil.example\r\n<b>hi</b> evil.example/x"
    reply = post(article.thread, guest_viewer("eve"), HOSTILE, parent_id=top.pk, guest_name=name)
    # A first comment full of links is held; the mail goes out once a moderator approves it.
    assert reply.status == CommentStatus.HELD and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        comment_approve(comment_id=reply.pk, actor=moderator)
    (message,) = mail.outbox
    html = html_of(message)
    assert message.subject == SUBJECT
    assert message.to == ["alice@example.org"] and message.cc == [] and message.bcc == []
    assert set(message.extra_headers) == {
        "Auto-Submitted",
        "List-Unsubscribe",
        "List-Unsubscribe-Post",
    }
    for part in (message.body, html):
        assert "evil.example" not in part
        assert "<script" not in part and "onerror" not in part and "javascript:" not in part
        assert all(link.startswith(SITE) for link in links_in(part))
    assert "the council&#x27;s real plan" in html or "the council’s real plan" in html
    assert "the council's real plan" in message.body
    assert "Read this" in message.body and "[link]" in message.body
    assert "<b>" not in html and "&lt;" not in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(href.startswith(SITE) for href in hrefs)
    rendered = message.message()
    for header in ("Subject", "To", "From", "List-Unsubscribe"):
        assert "evil" not in str(rendered[header]) and "Eve" not in str(rendered[header])
    assert rendered["Bcc"] is None


# -- unsubscribing --------------------------------------------------------------------------------


def one_click(message) -> int:
    """What a mail provider does for RFC 8058: POST the header's URL, no cookies, no CSRF."""
    url = message.extra_headers["List-Unsubscribe"][1:-1].removeprefix(SITE)
    response = Client(enforce_csrf_checks=True).post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    return response.status_code


def test_member_one_click_unsubscribe_stops_mail(article, make_user, post):
    alice, bob = make_user(), make_user()
    top = post(article.thread, member(alice))
    post(article.thread, member(bob), parent_id=top.pk)
    assert one_click(mail.outbox[0]) == 200
    post(article.thread, member(bob), parent_id=top.pk)
    assert len(mail.outbox) == 1
    assert alice.notification_preference.replies == ReplyMail.NONE


def test_guest_one_click_unsubscribe_forgets_the_address(article, make_user, post):
    dana = guest_viewer("dana-browser")
    top = post(article.thread, dana, guest_name="Dana", guest_email="dana@example.org", notify=True)
    services.guest_subscription_confirm(token=token_of(confirm_link(mail.outbox[0])))
    bob = make_user()
    post(article.thread, member(bob), parent_id=top.pk)
    assert len(mail.outbox) == 2
    assert one_click(mail.outbox[1]) == 200
    assert not GuestSubscription.objects.exists()
    post(article.thread, member(bob), parent_id=top.pk)
    assert len(mail.outbox) == 2
    assert one_click(mail.outbox[1]) == 200  # an old link again: harmless


def test_forged_unsubscribe_link_is_refused(make_user):
    alice = make_user()
    token = tokens.unsubscribe_token_make(kind=tokens.USER, id=alice.pk)
    with refused("link_invalid"):
        services.unsubscribe(token=token.replace(":", "x", 1))
    assert not type(alice).objects.filter(notification_preference__replies="none").exists()


# -- through the django-tasks-db worker -----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_database_backend_sends_nothing_until_the_worker_runs(settings, article, make_user):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    alice, bob = make_user(), make_user()
    top = submit_comment(thread=article.thread, viewer=member(alice), body="Top").comment
    reply = submit_comment(
        thread=article.thread, viewer=member(bob), body="Re", parent_id=top.pk
    ).comment
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "broadsheet.notifications.tasks.reply_notification_send"
    assert queued.args_kwargs == {"args": [reply.pk], "kwargs": {}}
    assert mail.outbox == []
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*")
    (message,) = mail.outbox
    assert message.to == [alice.email] and message.subject == SUBJECT
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*")
    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
