"""Votes stay exact under concurrency: real threads, real connections, real locks."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from broadsheet.accounts.viewers import Viewer
from broadsheet.discussion.models import Comment, Vote
from broadsheet.discussion.services import comment_vote
from broadsheet.moderation.intake import submit_comment

pytestmark = pytest.mark.django_db(transaction=True)


def vote_in_thread(comment_id: int, viewer: Viewer) -> None:
    try:
        comment_vote(comment_id=comment_id, viewer=viewer, value=1)
    finally:
        connections.close_all()


def run_concurrently(comment_id: int, viewers: list[Viewer], workers: int) -> None:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(vote_in_thread, comment_id, v) for v in viewers]
        errors = [f.exception() for f in futures if f.exception() is not None]
    # SQLite serializes writers with IMMEDIATE transactions; PostgreSQL queues on the row lock.
    assert errors == []


@pytest.fixture
def comment(article, guest):
    return submit_comment(
        thread=article.thread, viewer=guest, body="hot take", guest_name="A"
    ).comment


def test_thirty_concurrent_votes_from_one_voter_count_once(comment, make_user):
    voter = Viewer(user=make_user())
    run_concurrently(
        comment.pk, [voter] * 30, workers=20 if connection.vendor == "postgresql" else 4
    )
    comment.refresh_from_db()
    assert (comment.upvotes, Vote.objects.filter(comment=comment).count()) == (1, 1)


def test_two_hundred_voters_through_twenty_workers_count_exactly(comment):
    viewers = [Viewer(guest_key=f"voter-{n}") for n in range(200)]
    run_concurrently(comment.pk, viewers, workers=20 if connection.vendor == "postgresql" else 4)
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.upvotes == 200 == Vote.objects.filter(comment=comment).count()
    assert stored.net_score == 200
