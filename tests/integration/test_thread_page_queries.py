"""The first discussion page costs the same at 10 comments and at 10,000: queries and rows."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models.sql import compiler
from django.db.models.sql.constants import MULTI
from django.test.utils import CaptureQueriesContext

from broadsheet.core.clock import now
from broadsheet.discussion.bulk import CommentRecord, load_comments
from broadsheet.discussion.models import Comment

pytestmark = pytest.mark.django_db

# Pinned: article (with author and thread), its tags, the discussion's
# moderation policy (auto-close hides the form), the page's top-level comments,
# their replies. Nothing else, whatever the thread's size.
ARTICLE_PAGE_QUERIES = 5
# From the page cache: the article's revision, then the cache lookup (the
# database cache's one query; none with Redis).
CACHED_PAGE_QUERIES = 2


def build_thread(thread, *, top_level: int, replies_each: int, chain_every: int = 50) -> None:
    """top_level comments, each with replies; every `chain_every`-th has a 12-deep chain."""
    start = now() - timedelta(days=1)
    records = []
    for i in range(top_level):
        key = f"t{i}"
        records.append(
            CommentRecord(
                key=key, body=f"Top-level point {i}", created_at=start, guest_name=f"G{i % 90}"
            )
        )
        for j in range(replies_each):
            records.append(
                CommentRecord(
                    key=f"{key}r{j}", parent_key=key, body=f"Answer {j} to {i}",
                    created_at=start, guest_name=f"H{j % 40}",
                )
            )  # fmt: skip
        if i % chain_every == 0:
            parent = key
            for depth in range(12):
                child = f"{key}c{depth}"
                records.append(
                    CommentRecord(
                        key=child,
                        parent_key=parent,
                        body="deeper",
                        created_at=start,
                        guest_name="Deep",
                    )
                )
                parent = child
    load_comments(thread=thread, records=records)


class RowCounter:
    """Counts the rows each ORM query hands back (the largest result is what matters)."""

    def __init__(self, monkeypatch):
        self.results: list[int] = []
        original = compiler.SQLCompiler.execute_sql

        def execute_sql(compiler_self, result_type=MULTI, *args, **kwargs):
            result = original(compiler_self, result_type, *args, **kwargs)
            if result_type == MULTI and result is not None:
                chunks = list(result)
                self.results.append(sum(len(chunk) for chunk in chunks))
                return iter(chunks)
            return result

        monkeypatch.setattr(compiler.SQLCompiler, "execute_sql", execute_sql)


def measure(client, article, monkeypatch) -> tuple[int, int, str]:
    """The page rendered for a reader with state (a sort cookie), which skips the page cache."""
    client.cookies["bs_sort"] = "oldest"
    counter = RowCounter(monkeypatch)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return len(queries), max(counter.results), response.content.decode()


@pytest.mark.parametrize(
    ("top_level", "replies_each", "expected_shown"),
    # 10k: 50 top-level comments, their 4 replies each, and one 12-deep chain.
    [(4, 1, 20), (2_000, 4, 50 + 50 * 4 + 12)],
    ids=["10", "10k"],
)
def test_article_page_queries_and_rows_are_bounded(
    client, article, monkeypatch, top_level, replies_each, expected_shown
):
    build_thread(article.thread, top_level=top_level, replies_each=replies_each)
    total = Comment.objects.filter(thread=article.thread).count()
    assert total >= (10 if top_level < 10 else 10_000)
    query_count, most_rows, page = measure(client, article, monkeypatch)
    assert query_count == ARTICLE_PAGE_QUERIES
    assert most_rows <= 300
    shown = len(re.findall(r'<li class="comment[ "]', page))
    assert shown == expected_shown
    if top_level > 50:
        assert 'class="next-page"' in page


def test_one_huge_subthread_does_not_crowd_out_the_others(client, article, monkeypatch):
    build_thread(article.thread, top_level=60, replies_each=1)
    first = Comment.objects.get(thread=article.thread, import_key="t0")
    load_comments(
        thread=article.thread,
        records=[
            CommentRecord(
                key=f"pile{i}", parent_key="t0", body="pile-on", created_at=now(), guest_name="P"
            )
            for i in range(1_000)
        ],
    )
    _, most_rows, page = measure(client, article, monkeypatch)
    assert most_rows <= 300
    # Every top-level comment on the page keeps its own reply.
    for i in range(1, 50):
        assert f"Answer 0 to {i}<" in page
    assert f'href="/comments/{first.pk}/#c-{first.pk}"' in page


@pytest.mark.parametrize(("top_level", "replies_each"), [(4, 1), (2_000, 4)], ids=["10", "10k"])
def test_cached_first_page_costs_two_queries_at_any_size(client, article, top_level, replies_each):
    build_thread(article.thread, top_level=top_level, replies_each=replies_each)
    first = client.get(article.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        again = client.get(article.get_absolute_url())
    assert again["X-Page-Cache"] == "hit" and again.content == first.content
    assert len(queries) == CACHED_PAGE_QUERIES
