"""Comment markup kept per comment on shared pages (web/comment_html.py): never stale."""

from datetime import timedelta

import pytest

from broadsheet.accounts.viewers import ANONYMOUS
from broadsheet.core.clock import now
from broadsheet.discussion import selectors
from broadsheet.discussion.bulk import CommentRecord, load_comments
from broadsheet.discussion.models import Comment, CommentStatus
from broadsheet.web import formats
from broadsheet.web.comment_html import render_comments

pytestmark = pytest.mark.django_db

SHARED_PAGE = {
    "comments_prefix": "/comments/",
    "article_author_id": None,
    "site_name": "Broadsheet",
    "cacheable": True,
    "thread_open": True,
}


@pytest.fixture
def thread(article, author, make_user):
    start = now() - timedelta(hours=3)
    member = make_user(display_name="Ravi Member")
    records = [
        CommentRecord(key="a", body="First *point*.", created_at=start, guest_name="Ann"),
        CommentRecord(key="b", body="By the author.", created_at=start, author=author),
        CommentRecord(key="c", body="A member.", created_at=start, author=member, upvotes=3),
        CommentRecord(key="d", body="Gone.", created_at=start, guest_name="Del"),
        CommentRecord(key="d1", parent_key="d", body="Reply.", created_at=start, author=member),
        CommentRecord(
            key="a1", parent_key="a", body="Edited.", created_at=start, guest_name="Bo",
            edited_at=start + timedelta(minutes=5),
        ),
    ]  # fmt: skip
    load_comments(thread=article.thread, records=records)
    Comment.objects.filter(body_source="Gone.").update(status=CommentStatus.DELETED)
    return article.thread


def shared_page(thread, **page) -> str:
    roots = selectors.thread_page(thread=thread, viewer=ANONYMOUS).roots
    return render_comments(roots, {**SHARED_PAGE, **page})


def test_kept_markup_is_what_a_fresh_render_gives(thread, author, settings):
    kept_first = shared_page(thread, article_author_id=author.pk)
    kept_again = shared_page(thread, article_author_id=author.pk)
    settings.DEBUG = True  # renders afresh, keeping nothing
    fresh = shared_page(thread, article_author_id=author.pk)
    assert kept_first == kept_again == fresh
    assert fresh.count('<li class="comment') == 6
    assert "[deleted]" in fresh and "Author</span>" in fresh and "(not verified)" in fresh
    assert 'class="edited"' in fresh and '<ol class="replies">' in fresh


def test_a_changed_comment_never_shows_its_kept_markup(thread, make_user):
    before = shared_page(thread)
    comment = Comment.objects.get(body_source="A member.")
    Comment.objects.filter(pk=comment.pk).update(
        upvotes=41, body_html="<p>Changed text.</p>", edited_at=now()
    )
    comment.author.display_name = "Ravi Renamed"
    comment.author.avatar_key = f"avatars/{comment.author_id}/abc"
    comment.author.save()
    after = shared_page(thread)
    assert '<span class="count">41</span>' in after and "Changed text." in after
    assert "Ravi Renamed" in after and f"avatars/{comment.author_id}/abc-48.webp" in after
    assert "Ravi Member" in before and "Ravi Member" not in after.split("Changed text.")[0]


def test_page_names_and_the_passing_time_are_part_of_the_key(thread, monkeypatch):
    open_page = shared_page(thread)
    closed_page = shared_page(thread, thread_open=False)
    assert 'class="reply-link"' in open_page and 'class="reply-link"' not in closed_page
    assert "(3 hours ago)" in open_page
    later = now() + timedelta(days=2)
    monkeypatch.setattr(formats, "now", lambda: later)
    assert "(2 days ago)" in shared_page(thread) and "(3 hours ago)" not in shared_page(thread)


def test_pages_with_a_csrf_token_are_rendered_for_their_reader(thread, rf):
    request = rf.get("/")
    first = render_comments(
        selectors.thread_page(thread=thread, viewer=ANONYMOUS).roots,
        {**SHARED_PAGE, "cacheable": False},
        request,
    )
    assert 'name="csrfmiddlewaretoken"' in first
    assert 'name="csrfmiddlewaretoken"' not in shared_page(thread)
