"""Voting, editing and deleting through the pages, with and without JavaScript."""

from datetime import timedelta

import pytest
from django.urls import reverse

from broadsheet.discussion.models import Comment, CommentStatus

pytestmark = pytest.mark.django_db


def post_comment(client, article, body="Original words", name="Ana", parent=None):
    data = {"body": body, "name": name}
    if parent:
        data["parent"] = parent
    client.post(reverse("web:comment-post", args=[article.thread.pk]), data)
    return Comment.objects.filter(body_source=body).latest("pk")


def test_guest_edits_own_comment_within_window_and_it_shows_edited(client, article):
    comment = post_comment(client, article)
    page = client.get(article.get_absolute_url()).content.decode()
    assert reverse("web:comment-edit", args=[comment.pk]) in page
    response = client.post(
        reverse("web:comment-edit", args=[comment.pk]), {"body": "Better *words*"}
    )
    assert response.status_code == 303
    comment.refresh_from_db()
    assert comment.body_html == "<p>Better <em>words</em></p>" and comment.edited_at
    assert '<span class="edited"' in client.get(article.get_absolute_url()).content.decode()


def test_another_browser_cannot_edit_or_delete(client, article):
    comment = post_comment(client, article)
    other = client.__class__()
    assert (
        other.post(reverse("web:comment-edit", args=[comment.pk]), {"body": "x"}).status_code == 403
    )
    assert other.post(reverse("web:comment-delete", args=[comment.pk])).status_code == 403
    comment.refresh_from_db()
    assert comment.body_source == "Original words"


def test_edit_after_the_window_is_refused(client, article, settings):
    comment = post_comment(client, article)
    Comment.objects.filter(pk=comment.pk).update(
        created_at=comment.created_at - timedelta(minutes=16)
    )
    response = client.post(reverse("web:comment-edit", args=[comment.pk]), {"body": "late"})
    assert response.status_code == 403
    assert "15 minutes" in response.content.decode()


def test_edit_with_empty_body_is_refused_and_keeps_text(client, article):
    comment = post_comment(client, article)
    response = client.post(reverse("web:comment-edit", args=[comment.pk]), {"body": "  "})
    assert response.status_code == 400 and "The comment is empty." in response.content.decode()
    comment.refresh_from_db()
    assert comment.body_source == "Original words"


def test_delete_with_replies_leaves_tombstone_and_counts_right(client, article):
    parent = post_comment(client, article, body="Parent")
    post_comment(client.__class__(), article, body="Child", name="Ben", parent=parent.pk)
    response = client.post(reverse("web:comment-delete", args=[parent.pk]))
    assert response.status_code == 303
    parent.refresh_from_db()
    assert parent.status == CommentStatus.DELETED and parent.body_source == ""
    article.thread.refresh_from_db()
    assert article.thread.comment_count == 1
    page = client.get(article.get_absolute_url()).content.decode()
    assert "[deleted]" in page and "Child" in page and "Parent" not in page


def test_delete_without_replies_removes_it_and_an_empty_tombstone_above(client, article):
    guest_b = client.__class__()
    parent = post_comment(client, article, body="Parent")
    child = post_comment(guest_b, article, body="Child", name="Ben", parent=parent.pk)
    client.post(reverse("web:comment-delete", args=[parent.pk]))
    guest_b.post(reverse("web:comment-delete", args=[child.pk]))
    assert not Comment.objects.exists()
    article.thread.refresh_from_db()
    assert (article.thread.comment_count, article.thread.top_level_count) == (0, 0)


def test_vote_without_javascript_redirects_and_with_json_answers(client, article):
    comment = post_comment(client.__class__(), article)
    response = client.post(reverse("web:comment-vote", args=[comment.pk]), {"value": "up"})
    assert response.status_code == 303
    data = client.post(
        reverse("web:comment-vote", args=[comment.pk]),
        {"value": "down"},
        HTTP_ACCEPT="application/json",
    ).json()
    assert (data["upvotes"], data["downvotes"], data["my_vote"]) == (0, 1, -1)
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'class="vote down voted"' in page


def test_bad_vote_value_is_a_400(client, article):
    comment = post_comment(client.__class__(), article)
    response = client.post(reverse("web:comment-vote", args=[comment.pk]), {"value": "sideways"})
    assert response.status_code == 400


def test_sort_choice_is_remembered_in_a_cookie(client, article):
    client.cookies["bs_guest"] = "a reader with state gets an uncached page"
    response = client.get(article.get_absolute_url() + "?sort=newest")
    assert response.cookies["bs_sort"].value == "newest"
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<strong aria-current="true">Newest</strong>' in page


def test_cached_page_sets_no_sort_cookie_but_honours_one(client, article):
    response = client.get(article.get_absolute_url() + "?sort=newest")
    assert "bs_sort" not in response.cookies and response["X-Page-Cache"] == "miss"
    client.cookies["bs_sort"] = "top"
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<strong aria-current="true">Top</strong>' in page
