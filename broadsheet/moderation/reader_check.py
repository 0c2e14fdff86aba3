"""The slow check: the reader model (classifiers/reader.py) judges a published comment in
the worker, after the fact.

The intake publishes at once when its few-millisecond checks pass, and enqueues this
check in the same transaction; the worker runs it once that commits. A comment the
model finds far from civil is held as a reader's flags would hold it: hidden from the
thread (the thread's version bumps, live readers see it go), shown to its author as
awaiting moderation, and in the queue with the reason. A trusted member's comments are
not judged (as the comment model gives them slack, the reader model's threshold would be
past 1); a sensitive story lowers the threshold. Off when `BROADSHEET_READER_MODEL` is
false or the model isn't installed.
"""

import logging

from django.conf import settings
from django.tasks import task

from broadsheet.classifiers import reader
from broadsheet.discussion.models import Comment, CommentStatus
from broadsheet.discussion.services import comment_set_status

from .checks import TRUSTED_LEVEL
from .models import ActionKind, ModerationAction
from .pipeline import Outcome, Verdict
from .policies import policy_for
from .standing import trust_level_of

log = logging.getLogger(__name__)

READER_CHECK = "reader_model"


def reader_check_enabled() -> bool:
    return settings.BROADSHEET_READER_MODEL and reader.available()


def reader_check_enqueue(comment: Comment) -> None:
    """Enqueues the check of a published comment in the caller's transaction: the task's row
    commits with the comment or not at all (enqueued after the commit, it was lost if the
    process stopped between the two), and the post writes once."""
    if comment.status == CommentStatus.PUBLISHED and reader_check_enabled():
        reader_check_task.enqueue(comment.pk)


@task
def reader_check_task(comment_id: int) -> None:
    reader_check_comment(comment_id=comment_id)


def _approved_by_moderator(comment: Comment) -> bool:
    return ModerationAction.objects.filter(
        comment=comment, kind__in=(ActionKind.APPROVE, ActionKind.EDIT_APPROVE)
    ).exists()


def reader_verdict(probabilities: dict[str, float], *, sensitive: bool) -> Verdict | None:
    """A hold when the model's distance from civil, or its reading as hate, reaches its
    threshold (re-scoring too)."""
    if not reader.holds(probabilities, sensitive=sensitive):
        return None
    score = reader.flag(probabilities)
    threshold = reader.hold_threshold(sensitive=sensitive)
    if score >= threshold:
        category = reader.likeliest(probabilities)
        reason = f"{category}: the reader model's {score:.3f} is at or above {threshold:.3f}"
    else:
        category = "hate"
        reason = (
            f"hate: the reader model's {probabilities['hate']:.3f} is at or above "
            f"{reader.hate_threshold(sensitive=sensitive):.3f}"
        )
    return Verdict(Outcome.HOLD, READER_CHECK, reason, round(score, 3))


def reader_check_comment(*, comment_id: int) -> bool:
    """Judges the comment as it now reads; holds it if the model says so. True if held.

    A comment no longer published (a moderator decided, its author deleted it) is left
    alone, as is one a moderator approved: the model doesn't overrule a person.
    """
    comment = Comment.objects.select_related("thread").filter(pk=comment_id).first()
    if comment is None or comment.status != CommentStatus.PUBLISHED:
        return False
    if trust_level_of(comment.author_id) >= TRUSTED_LEVEL or _approved_by_moderator(comment):
        return False
    verdict = reader_verdict(
        reader.probabilities(comment.body_source),
        sensitive=policy_for(comment.thread).view.sensitive,
    )
    if verdict is None:
        return False
    changed = comment_set_status(
        comment_id=comment.pk,
        status=CommentStatus.HELD,
        reasons=[verdict.as_record()],
        expect=(CommentStatus.PUBLISHED,),
    )
    if changed is not None:
        log.info("reader model held comment %s (%s)", comment.pk, verdict.reason)
    return changed is not None
