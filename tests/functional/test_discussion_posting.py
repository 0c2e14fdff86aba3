"""Posting through the pages: guests, users, replies, quotes, and every kind of bad input."""

from datetime import timedelta

import pytest
from django.urls import reverse

from broadsheet.accounts.guests import COOKIE_NAME
from broadsheet.core.clock import now
from broadsheet.discussion.models import Comment, CommentStatus, Thread, ThreadStatus
from broadsheet.discussion.services import thread_update
from broadsheet.moderation.policies import policy_set

pytestmark = pytest.mark.django_db


def post(client, thread, **data):
    return client.post(reverse("web:comment-post", args=[thread.pk]), data)


def test_guest_comment_shows_name_not_verified_and_time(client, article, settings):
    settings.TIME_ZONE = "UTC"
    response = post(client, article.thread, body="The *harbour* plan is a mistake.", name="Dana")
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert response["Location"] == f"{article.get_absolute_url()}#c-{comment.pk}"
    assert COOKIE_NAME in response.cookies
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'Dana <span class="unverified">(not verified)</span>' in page
    assert "<em>harbour</em>" in page
    assert comment.created_at.strftime("%b %-d, %Y %-I:%M %p") in page
    assert "1 comment" in page


def test_guest_name_is_remembered(client, article):
    post(client, article.thread, body="First", name="Dana Q")
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'value="Dana Q"' in page


def test_guest_email_is_never_shown_or_stored_raw(client, article):
    post(client, article.thread, body="Hello", name="Dana", email="dana@example.org")
    comment = Comment.objects.get()
    assert comment.guest_email_hash and "dana@example.org" not in comment.guest_email_hash
    assert "dana@example.org" not in client.get(article.get_absolute_url()).content.decode()


def test_reply_nests_under_parent_and_counts(client, article):
    post(client, article.thread, body="Top", name="Ana")
    top = Comment.objects.get()
    response = post(client, article.thread, body="An answer", name="Ben", parent=top.pk)
    assert response.status_code == 303
    reply = Comment.objects.get(parent=top)
    assert reply.path.startswith(top.path) and reply.depth == 1
    article.thread.refresh_from_db()
    assert article.thread.comment_count == 2 and article.thread.top_level_count == 1
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.index(f'id="c-{top.pk}"') < page.index(f'id="c-{reply.pk}"')
    assert '<ol class="replies">' in page


def test_signed_in_user_comment_shows_display_name_without_not_verified(client, article, make_user):
    user = make_user(display_name="Priya Raman")
    client.force_login(user)
    post(client, article.thread, body="Registered view")
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<span class="author registered">Priya Raman</span>' in page
    assert "(not verified)" not in page


def test_unverified_user_cannot_comment(client, article, make_user):
    client.force_login(make_user(verified=False))
    response = post(client, article.thread, body="Hi")
    assert response.status_code == 403
    assert "Confirm your e-mail" in response.content.decode()
    assert not Comment.objects.exists()


def test_quote_prefills_reply_with_attributed_block_quote(client, article):
    post(client, article.thread, body="Line one\n\nLine two", name="Ana")
    comment = Comment.objects.get()
    page = client.get(reverse("web:comment-reply", args=[comment.pk]) + "?quote=1")
    assert "**Ana** wrote:\n\n&gt; Line one\n&gt;\n&gt; Line two" in page.content.decode()
    data = client.get(
        reverse("web:comment-reply", args=[comment.pk]) + "?quote=1", HTTP_ACCEPT="application/json"
    ).json()
    assert data["body"] == "**Ana** wrote:\n\n> Line one\n>\n> Line two\n\n"


def test_markup_is_sanitized_and_links_are_nofollow(client, article):
    body = "<script>alert(1)</script> [x](javascript:alert(1)) [ok](https://example.com) <b>raw</b>"
    post(client, article.thread, body=body, name="Eve")
    html = Comment.objects.get().body_html
    assert "<script" not in html and 'href="javascript' not in html and "<b>" not in html
    assert 'href="https://example.com"' in html
    assert 'rel="nofollow ugc noopener"' in html


def test_json_post_returns_rendered_comment(client, article):
    response = client.post(
        reverse("web:comment-post", args=[article.thread.pk]),
        {"body": "Via script", "name": "Jo"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "published" and f'id="c-{data["id"]}"' in data["html"]


BAD_INPUT = [
    ({"body": "", "name": "A"}, "The comment is empty."),
    ({"body": "   \n\t ", "name": "A"}, "The comment is empty."),
    ({"body": "x" * 10_001, "name": "A"}, "the limit is 10,000"),
    ({"body": "ok"}, "Give a name to comment as a guest."),
    ({"body": "ok", "name": "   "}, "Give a name to comment as a guest."),
    ({"body": "ok", "name": "n" * 51}, "the limit is 50"),
    ({"body": "ok", "name": "A", "email": "not-an-address"}, "That e-mail address is not valid."),
    ({"body": "nul \x00 byte", "name": "A"}, "NUL byte"),
    ({"body": "ok", "name": "A\x00"}, "NUL byte"),
    ({"body": "bell \x07", "name": "A"}, "control character"),
    ({"body": "ok", "name": "A", "parent": "abc"}, "points at no valid comment"),
    ({"body": "ok", "name": "A", "parent": "999999"}, "does not exist"),
]


@pytest.mark.parametrize(("data", "message"), BAD_INPUT)
def test_bad_input_is_refused_with_a_message_and_nothing_written(client, article, data, message):
    response = post(client, article.thread, **data)
    assert 400 <= response.status_code < 500
    assert message in response.content.decode()
    assert not Comment.objects.exists()
    article.thread.refresh_from_db()
    assert article.thread.comment_count == 0 and article.thread.last_seq == 0


def test_refused_comment_keeps_the_text_in_the_form(client, article):
    response = post(client, article.thread, body="my careful argument", name="n" * 51)
    assert response.status_code == 400
    assert "my careful argument</textarea>" in response.content.decode()


@pytest.mark.parametrize(
    "raw",
    [b"body=%FF%FE&name=A", b"body=ok&name=%C3", b"body=%ED%A0%80&name=A"],
    ids=["invalid-bytes", "truncated-sequence", "lone-surrogate"],
)
def test_invalid_utf8_is_refused_not_replaced(client, article, raw):
    response = client.generic(
        "POST",
        reverse("web:comment-post", args=[article.thread.pk]),
        raw,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "not valid UTF-8" in response.content.decode()
    assert not Comment.objects.exists()


def test_lone_surrogate_in_text_is_refused(article, guest):
    from broadsheet.core.errors import InvalidInput
    from broadsheet.moderation.intake import submit_comment

    with pytest.raises(InvalidInput, match="lone surrogate"):
        submit_comment(thread=article.thread, viewer=guest, body="a\ud800b", guest_name="A")
    assert not Comment.objects.exists()


def test_reply_to_comment_of_another_thread_is_refused(client, article, make_article):
    other = make_article()
    post(client, other.thread, body="elsewhere", name="A")
    foreign = Comment.objects.get()
    response = post(client, article.thread, body="ok", name="B", parent=foreign.pk)
    assert response.status_code == 400
    assert "belongs to another discussion" in response.content.decode()
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("status", [ThreadStatus.CLOSED, ThreadStatus.HIDDEN])
def test_posting_to_closed_or_hidden_thread_is_refused(client, article, status):
    thread_update(thread=article.thread, status=status)
    response = post(client, article.thread, body="ok", name="A")
    assert response.status_code in (403, 404)
    assert not Comment.objects.exists()


def test_closed_thread_shows_comments_but_no_form(client, article):
    post(client, article.thread, body="before closing", name="A")
    thread_update(thread=article.thread, status=ThreadStatus.CLOSED)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "before closing" in page and "closed to new comments" in page
    assert "data-comment-form" not in page


def test_auto_closed_thread_shows_the_notice_and_no_form(client, article):
    post(client, article.thread, body="before the deadline", name="A")
    policy_set(thread=article.thread, auto_close_days=2)
    assert "data-comment-form" in client.get(article.get_absolute_url()).content.decode()
    Thread.objects.filter(pk=article.thread.pk).update(created_at=now() - timedelta(days=3))
    policy_set(thread=article.thread, auto_close_days=2)  # a new page version
    page = client.get(article.get_absolute_url()).content.decode()
    assert "before the deadline" in page and "closed to new comments" in page
    assert "data-comment-form" not in page


def test_missing_thread_is_404(client):
    response = post(client, Thread(pk=424242), body="ok", name="A")
    assert response.status_code == 404


def test_guest_cannot_take_a_registered_name_even_disguised(client, article, make_user):
    make_user(display_name="John Smith")
    for name in ["john smith", "JOHN  SMITH", "Jоhn Smith", "J0hn Sm1th", "Jóhn_Smith"]:
        response = post(client, article.thread, body="ok", name=name)
        assert response.status_code == 400, name
        assert "name of a registered member" in response.content.decode()
    assert not Comment.objects.exists()


def test_premoderated_thread_holds_comment_visible_only_to_its_author(client, article):
    article.thread.premoderated = True
    article.thread.save()
    post(client, article.thread, body="Held words", name="Ana")
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.HELD
    own = client.get(article.get_absolute_url()).content.decode()
    assert "Held words" in own and "awaiting moderation" in own
    stranger = client.__class__().get(article.get_absolute_url()).content.decode()
    assert "Held words" not in stranger
    article.thread.refresh_from_db()
    assert article.thread.comment_count == 0


def test_csrf_is_enforced(article):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("web:comment-post", args=[article.thread.pk]), {"body": "x"})
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_comment_links_built_from_the_prefix_match_the_url_patterns(client, article):
    post(client, article.thread, body="Linked", name="Ana")
    comment = Comment.objects.get()
    own = client.get(article.get_absolute_url()).content.decode()
    for name in ["comment", "comment-vote", "comment-reply", "comment-edit", "comment-delete"]:
        assert reverse(f"web:{name}", args=[comment.pk]) in own, name
    other = client.__class__()
    other.cookies["bs_sort"] = "oldest"
    theirs = other.get(article.get_absolute_url()).content.decode()
    for name in ["comment-flag", "comment-mute"]:
        assert reverse(f"web:{name}", args=[comment.pk]) in theirs, name


def test_names_in_the_comment_markup_are_escaped(client, article):
    # The comment markup is Jinja2 (web/comment_html.py): autoescaped like the pages.
    post(client, article.thread, body="Text", name='Ann <img src=x onerror="alert(1)">')
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<img src=x" not in page
    assert "Ann &lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page
