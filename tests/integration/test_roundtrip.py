"""Export -> import into an empty site -> the same threads, comments, parents and statuses."""

from itertools import count

import pytest
from django.core.management import call_command

from broadsheet.accounts.models import User
from broadsheet.articles.models import Article, Tag
from broadsheet.core.clock import now
from broadsheet.core.markup import render_comment
from broadsheet.discussion.models import Comment, CommentStatus, Thread, ThreadStatus
from broadsheet.discussion.services import (
    NewComment,
    comment_delete,
    insert_comment,
    thread_get_or_create,
    thread_update,
)

pytestmark = pytest.mark.django_db
_n = count(1)


def add(thread, parent=None, *, author=None, status=CommentStatus.PUBLISHED, **fields):
    body = fields.pop(
        "body", f"Point number {next(_n)}, with *emphasis* and a [link](https://example.net/)."
    )
    return insert_comment(
        thread=thread,
        parent=parent,
        new=NewComment(
            body_source=body,
            body_html=render_comment(body),
            status=status,
            created_at=now(),
            author=author,
            guest_name="" if author else "Passer-by",
            **fields,
        ),
    )


@pytest.fixture
def site(make_article, make_user, author):
    reader = make_user(display_name="Ada Reader")
    article = make_article(title="Ferry timetable cut", tags=["Transport", "Harbour"])
    thread = article.thread
    a = add(thread, author=reader)
    b = add(thread, a)
    c = add(thread, b, author=author, status=CommentStatus.HELD)
    add(thread, c, author=reader)
    add(thread, a, author=reader, status=CommentStatus.DELETED)
    regret = add(thread, a, author=reader)
    add(thread, regret)
    comment_delete(comment=regret)  # a tombstone as its author leaves it: no text
    add(thread, status=CommentStatus.SPAM)
    d = add(thread, status=CommentStatus.REJECTED)
    add(thread, d, author=author)
    quiet = make_article(title="Budget day", status="draft")
    thread_update(thread=quiet.thread, status=ThreadStatus.CLOSED, premoderated=True)
    add(quiet.thread, author=author)
    external = thread_get_or_create(key="https://blog.example.net/ferries/", title="Ferries")
    e = add(external)
    add(external, e, author=reader)
    return article


def snapshot() -> dict:
    """The discussions by thread key; comments in display order, parents as positions."""
    threads = {}
    for thread in Thread.objects.order_by("key"):
        comments = list(
            Comment.objects.filter(thread=thread).select_related("author").order_by("path")
        )
        position = {comment.pk: i for i, comment in enumerate(comments)}
        threads[thread.key] = {
            "title": thread.title,
            "status": thread.status,
            "premoderated": thread.premoderated,
            "comments": [
                (
                    comment.display_name,
                    comment.body_source,
                    comment.status,
                    position.get(comment.parent_id),
                    comment.is_guest,
                )
                for comment in comments
            ],
        }
    return threads


def empty_the_site() -> None:
    Comment.objects.all().delete()
    Article.objects.all().delete()
    Tag.objects.all().delete()
    Thread.objects.all().delete()
    User.objects.all().delete()


def test_export_then_import_into_an_empty_site_gives_the_same_discussions(site, tmp_path):
    import_file = pytest.importorskip("broadsheet.importers.run").import_file
    before = snapshot()
    articles = sorted(Article.objects.values_list("slug", "title", "status"))
    path = tmp_path / "site.jsonl"
    call_command("export_site", output=str(path))
    empty_the_site()

    report = import_file(fmt="jsonl", path=path)

    assert report.comments_created == sum(len(t["comments"]) for t in before.values())
    assert snapshot() == before
    assert sorted(Article.objects.values_list("slug", "title", "status")) == articles
    for thread in Thread.objects.all():
        published = thread.comments.filter(status=CommentStatus.PUBLISHED)
        assert thread.comment_count == published.count()
    # A second import of the same file adds nothing.
    again = import_file(fmt="jsonl", path=path)
    assert again.comments_created == 0
    assert snapshot() == before
