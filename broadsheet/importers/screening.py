"""`--moderate`: imported text through the intake's content checks, without rate limits.

Historic comments were written over years, so checks that count a person's
recent comments (rate limits) or the thread's pre-moderation (which is about
new comments) don't apply; what the text says does. The pipeline may name the
checks that judge text alone as `CONTENT_CHECKS`; until it does, every default
check runs except pre-moderation and any whose name says it counts a rate.
"""

from collections.abc import Sequence

from broadsheet.discussion.models import CommentStatus
from broadsheet.moderation import pipeline
from broadsheet.moderation.pipeline import Check, Outcome, Sample, decide

_STATUS_FOR = {
    Outcome.PUBLISH: CommentStatus.PUBLISHED,
    Outcome.HOLD: CommentStatus.HELD,
    Outcome.REJECT: CommentStatus.REJECTED,
}


def import_checks() -> Sequence[Check]:
    content = getattr(pipeline, "CONTENT_CHECKS", None)
    if content is not None:
        return tuple(content)
    return tuple(
        check
        for check in pipeline.DEFAULT_CHECKS
        if check is not pipeline.premoderated_thread
        and "rate" not in getattr(check, "__name__", "").lower()
    )


def screen(
    *,
    body: str,
    status: CommentStatus,
    is_guest: bool,
    is_reply: bool,
    author_is_staff: bool,
    checks: Sequence[Check],
) -> tuple[CommentStatus, tuple[dict, ...]]:
    """The status after the checks (only a published comment can be held or rejected)."""
    if status != CommentStatus.PUBLISHED or not checks:
        return status, ()
    sample = Sample(
        body=body,
        is_guest=is_guest,
        is_reply=is_reply,
        thread_premoderated=False,
        author_is_staff=author_is_staff,
    )
    decision = decide(sample, checks)
    return _STATUS_FOR[decision.outcome], tuple(v.as_record() for v in decision.verdicts)
