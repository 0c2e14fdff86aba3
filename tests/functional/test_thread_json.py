"""The whole thread as JSON: its shape, who sees what, no secrets, a fixed query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from broadsheet.accounts.guests import COOKIE_NAME, sign_guest_key
from broadsheet.accounts.viewers import Viewer
from broadsheet.discussion.models import Comment, CommentStatus, ThreadStatus
from broadsheet.discussion.services import thread_update
from broadsheet.moderation.intake import email_hash, submit_comment

pytestmark = pytest.mark.django_db

FIELDS = {
    *("id", "parent", "depth", "author", "guest", "html", "created_at", "edited_at"),
    *("upvotes", "downvotes", "status"),
}


def thread_json(client, thread):
    response = client.get(reverse("web:thread-json", args=[thread.pk]))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_every_visible_comment_in_path_order_with_its_fields(client, article, guest, make_user):
    thread = article.thread
    member = make_user(display_name="Priya Raman")
    top = submit_comment(thread=thread, viewer=guest, body="The *plan*", guest_name="Ana").comment
    second = submit_comment(thread=thread, viewer=Viewer(user=member), body="Second").comment
    reply = submit_comment(
        thread=thread, viewer=guest, body="An answer", guest_name="Ben", parent_id=top.pk
    ).comment

    data = thread_json(client, thread)

    assert data["thread"]["id"] == thread.pk
    assert data["count"] == 3
    comments = data["comments"]
    assert [c["id"] for c in comments] == [top.pk, reply.pk, second.pk]
    assert all(set(c) == FIELDS for c in comments)
    first, answer, by_member = comments
    assert first == first | {"parent": None, "depth": 0, "author": "Ana", "guest": True}
    assert first["html"].strip() == "<p>The <em>plan</em></p>"
    assert first["status"] == "published" and first["edited_at"] is None
    assert first["upvotes"] == 0 and first["downvotes"] == 0
    assert first["created_at"].startswith(str(top.created_at.year))
    assert answer["parent"] == top.pk and answer["depth"] == 1 and answer["author"] == "Ben"
    assert by_member["author"] == "Priya Raman" and by_member["guest"] is False


def test_held_comment_is_hidden_from_others_and_shown_to_its_author(
    client, article, guest, moderator
):
    thread = article.thread
    thread_update(thread=thread, status=ThreadStatus.OPEN, premoderated=True)
    held = submit_comment(thread=thread, viewer=guest, body="Wait for it", guest_name="Ana")
    assert held.comment.status == CommentStatus.HELD

    assert thread_json(client, thread)["comments"] == []

    client.cookies[COOKIE_NAME] = sign_guest_key(guest.guest_key)
    [own] = thread_json(client, thread)["comments"]
    assert own["id"] == held.comment.pk and own["status"] == "held"

    client.cookies.clear()
    client.force_login(moderator)
    [seen] = thread_json(client, thread)["comments"]
    assert seen["status"] == "held"


def test_tombstones_keep_their_replies_without_text_and_vanish_without_them(client, article, guest):
    thread = article.thread
    kept = submit_comment(thread=thread, viewer=guest, body="Kept secret", guest_name="Ana").comment
    reply = submit_comment(
        thread=thread, viewer=guest, body="Reply", guest_name="Ben", parent_id=kept.pk
    ).comment
    gone = submit_comment(thread=thread, viewer=guest, body="Gone", guest_name="Cy").comment
    Comment.objects.filter(pk__in=[kept.pk, gone.pk]).update(status=CommentStatus.DELETED)

    comments = thread_json(client, thread)["comments"]

    assert [c["id"] for c in comments] == [kept.pk, reply.pk]
    tombstone = comments[0]
    assert tombstone["status"] == "deleted"
    assert tombstone["html"] == "" and tombstone["author"] == ""
    assert "Kept secret" not in str(comments)


def test_no_email_address_or_their_hashes(client, article, guest):
    thread = article.thread
    submitted = submit_comment(
        thread=thread,
        viewer=guest,
        body="Hello",
        guest_name="Dana",
        guest_email="dana@example.org",
        client_address="203.0.113.9",
    ).comment
    comment = Comment.objects.get(pk=submitted.pk)
    assert comment.guest_email_hash and comment.address_hash and comment.guest_key_hash

    text = client.get(reverse("web:thread-json", args=[thread.pk])).content.decode()

    for secret in (
        "dana@example.org",
        email_hash("dana@example.org"),
        comment.address_hash,
        comment.guest_key_hash,
        "203.0.113.9",
    ):
        assert secret not in text
    assert "email" not in text and "address" not in text


def test_hidden_thread_and_draft_article_are_404(client, article, make_article, guest):
    thread_update(thread=article.thread, status=ThreadStatus.HIDDEN, premoderated=False)
    assert client.get(reverse("web:thread-json", args=[article.thread.pk])).status_code == 404
    draft = make_article(status="draft")
    assert client.get(reverse("web:thread-json", args=[draft.thread.pk])).status_code == 404
    assert client.get(reverse("web:thread-json", args=[999999])).status_code == 404


def test_query_count_does_not_grow_with_the_thread(client, article, guest):
    thread = article.thread
    url = reverse("web:thread-json", args=[thread.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    submit_comment(thread=thread, viewer=guest, body="One", guest_name="Ana")
    few = queries()
    parent = None
    for n in range(30):
        parent = submit_comment(
            thread=thread, viewer=guest, body=f"More {n}", guest_name="Ana", parent_id=parent
        ).comment.pk
    assert queries() == few
