"""Re-scoring: a dry run reports and changes nothing; applied, it changes through the services
and logs each change; moderators' decisions and non-content holds are left alone."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from broadsheet.core.clock import now
from broadsheet.core.errors import InvalidInput
from broadsheet.discussion.models import Comment, CommentStatus, EventKind, ThreadEvent
from broadsheet.discussion.services import NewComment, insert_comment
from broadsheet.moderation.models import ActionKind, ModerationAction
from broadsheet.moderation.rescoring import (
    rescore,
    rescore_run_create,
    rescore_run_execute,
    run_percent,
)
from broadsheet.moderation.terms import term_add

pytestmark = pytest.mark.django_db


def comment_on(thread, *, body: str, status=CommentStatus.PUBLISHED, reasons=(), days_ago=0):
    comment = insert_comment(
        thread=thread,
        parent=None,
        new=NewComment(
            body_source=body,
            body_html=f"<p>{body}</p>",
            status=status,
            created_at=now() - timedelta(days=days_ago),
            guest_name="Pat",
            reasons=tuple(reasons),
        ),
    )
    return comment


@pytest.fixture
def lists(moderator):
    term_add(actor=moderator, kind="banned", text="zorblax", category="abuse")
    term_add(actor=moderator, kind="suspect", text="quibbleworth", category="abuse")


@pytest.fixture
def comments(article, lists):
    thread = article.thread
    return {
        "fine": comment_on(thread, body="The council should publish the harbour figures."),
        "banned": comment_on(thread, body="The planners are zorblax, all of them."),
        "suspect": comment_on(thread, body="What a quibbleworth you are."),
        "old": comment_on(thread, body="Old zorblax remark.", days_ago=20),
        "held_by_words": comment_on(
            thread,
            body="A perfectly civil remark now.",
            status=CommentStatus.HELD,
            reasons=[{"check": "abuse", "outcome": "hold", "reason": "old list", "score": 0.7}],
        ),
        "premoderated": comment_on(
            thread,
            body="Waiting for the editors.",
            status=CommentStatus.HELD,
            reasons=[{"check": "premoderation", "outcome": "hold", "reason": "", "score": 1}],
        ),
    }


def statuses(comments: dict) -> dict[str, str]:
    return {k: Comment.objects.get(pk=c.pk).status for k, c in comments.items()}


def test_a_dry_run_reports_and_changes_nothing(comments, article):
    before = statuses(comments)
    version = type(article.thread).objects.get(pk=article.thread_id).version
    report = rescore(days=7)
    assert not report.applied
    assert report.examined == 5  # the 20-day-old one is outside the window
    assert report.transitions == {
        "held→published": 1,
        "published→held": 1,
        "published→rejected": 1,
    }
    examples = report.examples["published→rejected"]
    assert examples[0].comment_id == comments["banned"].pk
    assert "zorblax" in examples[0].excerpt and "banned term" in examples[0].reasons
    assert statuses(comments) == before
    assert not ModerationAction.objects.exists()
    assert type(article.thread).objects.get(pk=article.thread_id).version == version


def test_applying_changes_statuses_counts_and_logs(comments, article, moderator):
    thread = type(article.thread).objects.get(pk=article.thread_id)
    count = thread.comment_count
    report = rescore(days=7, apply=True, actor=moderator)
    assert report.applied and report.changed == 3
    after = statuses(comments)
    assert after == {
        "fine": "published",
        "banned": "rejected",
        "suspect": "held",
        "old": "published",
        "held_by_words": "published",
        "premoderated": "held",
    }
    thread.refresh_from_db()
    # Two left the published count, one joined it.
    assert thread.comment_count == count - 1
    actions = ModerationAction.objects.filter(kind=ActionKind.RESCORE).order_by("comment_id")
    assert [(a.comment_id, a.change["status"]) for a in actions] == sorted(
        [
            (comments["banned"].pk, ["published", "rejected"]),
            (comments["suspect"].pk, ["published", "held"]),
            (comments["held_by_words"].pk, ["held", "published"]),
        ]
    )
    assert all(a.actor == moderator for a in actions)
    banned = Comment.objects.get(pk=comments["banned"].pk)
    assert banned.moderation_reasons[-1]["check"] == "rescore"
    assert ThreadEvent.objects.filter(comment_id=banned.pk, kind=EventKind.REMOVED).exists()
    # Run again: nothing left to change.
    assert rescore(days=7, apply=True, actor=moderator).transitions == {}


def test_a_moderators_decision_is_never_overridden(comments, moderator):
    ModerationAction.objects.create(
        actor=moderator, kind=ActionKind.APPROVE, comment=comments["banned"]
    )
    report = rescore(days=7)
    assert "published→rejected" not in report.transitions


def test_the_window_is_checked():
    with pytest.raises(InvalidInput, match="between 1 and 90 days"):
        rescore(days=0)
    with pytest.raises(InvalidInput):
        rescore(days=91)


def test_the_command_reports_first_and_applies_on_request(comments):
    out = StringIO()
    call_command("rescore", "--days", "7", stdout=out)
    text = out.getvalue()
    assert "5 comments of the last 7 days examined" in text
    assert "Would change: 3" in text and "published→rejected" in text
    assert "Nothing was changed" in text
    assert Comment.objects.get(pk=comments["banned"].pk).status == "published"
    out = StringIO()
    call_command("rescore", "--days", "7", "--apply", stdout=out)
    assert "Changed: 3" in out.getvalue()
    assert Comment.objects.get(pk=comments["banned"].pk).status == "rejected"
    assert ModerationAction.objects.filter(kind=ActionKind.RESCORE, actor=None).count() == 3


def test_a_background_run_keeps_its_progress_and_needs_a_preview_to_apply(comments, moderator):
    with pytest.raises(InvalidInput, match="Preview the changes"):
        rescore_run_create(days=7, apply=True, actor=moderator)
    preview = rescore_run_create(days=7, apply=False, actor=moderator)
    assert preview["status"] == "queued" and run_percent(preview) is None
    done = rescore_run_execute(run_id=preview["id"])
    assert done["status"] == "done" and done["total"] == 5 and done["processed"] == 5
    assert run_percent(done) == 100
    assert done["report"]["transitions"]["published→rejected"] == 1
    with pytest.raises(InvalidInput):  # another window than the preview's
        rescore_run_create(days=8, apply=True, actor=moderator, preview=preview["id"])
    applied = rescore_run_create(days=7, apply=True, actor=moderator, preview=preview["id"])
    assert rescore_run_execute(run_id=applied["id"])["report"]["changed"] == 3


# -- the reader model, judged again -------------------------------------------------------------

INSULT = "Wazzock. Absolute wazzock."  # published by the intake's checks, held by the reader model


def test_the_reader_model_holds_what_the_worker_missed(article, settings, moderator):
    settings.BROADSHEET_READER_MODEL = True
    missed = comment_on(article.thread, body=INSULT)  # say the worker was down
    fine = comment_on(article.thread, body="The council should publish the harbour figures.")
    report = rescore(days=7)
    assert report.transitions == {"published→held": 1}
    [example] = report.examples["published→held"]
    assert example.comment_id == missed.pk and "reader_model: abuse" in example.reasons
    rescore(days=7, apply=True, actor=moderator)
    assert Comment.objects.get(pk=missed.pk).status == CommentStatus.HELD
    assert Comment.objects.get(pk=fine.pk).status == CommentStatus.PUBLISHED
    settings.BROADSHEET_READER_MODEL = False
    assert rescore(days=7).transitions == {}, "off, the reader model's hold stands"


def test_a_reader_model_hold_it_no_longer_makes_is_lifted(article, settings):
    settings.BROADSHEET_READER_MODEL = True
    # Held by an earlier model; today's reads it as civil.
    held = comment_on(
        article.thread,
        body="The council should publish the harbour figures.",
        status=CommentStatus.HELD,
        reasons=[{"check": "reader_model", "outcome": "hold", "reason": "old", "score": 0.99}],
    )
    assert rescore(days=7).examples["held→published"][0].comment_id == held.pk
