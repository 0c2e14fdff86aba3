"""Re-scoring: the content checks run again over recent comments, after word lists or
thresholds changed.

A dry run (the default) reports what would change — counts per transition and
examples — and writes nothing. Applied, each change goes through the one
status write (`comment_set_status`: counts, thread version, live event) and is
written to the audit log as RESCORE, so it can be reviewed and reverted.

The reader model (reader_check.py), when it is on, judges each comment too, in batches,
as the worker would have after publishing: a retrained model's holds show here first.

What may change, and what never does:
- a published comment may be held or rejected by today's lists;
- a held comment may be rejected, and is published only when every reason it
  was held for came from the content checks (so not a flag, a policy,
  pre-moderation or a duplicate), since those are what re-scoring re-runs;
- a comment a moderator already decided on is left alone, and so are rejected,
  spam and deleted comments.

Runs from the `rescore` command or, from the dashboard, as a background task
whose progress is kept in Django's cache (shared by every process).
"""

import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Exists, OuterRef

from broadsheet.accounts.models import User
from broadsheet.classifiers import reader
from broadsheet.core.clock import now
from broadsheet.core.errors import InvalidInput
from broadsheet.discussion.models import Comment, CommentStatus
from broadsheet.discussion.services import comment_set_status

from .checks import CONTENT_CHECKS, TRUSTED_LEVEL
from .models import ActionKind, ModerationAction
from .pipeline import AccountState, Decision, Outcome, PolicyView, Sample, decide
from .policies import policy_for
from .reader_check import READER_CHECK, reader_check_enabled, reader_verdict
from .stats import DECISION_KINDS
from .terms import term_list

RESCORE_CHECK = "rescore"
# Reasons re-scoring may lift: the content checks' own (see checks.CONTENT_CHECKS), and the
# reader model's when it is on (re-scoring then runs it as the worker does).
CONTENT_CHECK_NAMES = frozenset(
    {"words", "links", "abuse", "hate", "profanity", "spam", "off_topic", RESCORE_CHECK}
)
MAX_DAYS = 90
EXAMPLES_PER_CHANGE = 5
_STATUS_FOR = {
    Outcome.PUBLISH: CommentStatus.PUBLISHED,
    Outcome.HOLD: CommentStatus.HELD,
    Outcome.REJECT: CommentStatus.REJECTED,
}
_BATCH = 500
_PROGRESS_EVERY = 50
_RUN_TTL_SECONDS = 24 * 3600
_LATEST_KEY = "moderation:rescore:latest"

Progress = Callable[[int, int], None]


@dataclass
class Example:
    comment_id: int
    excerpt: str
    reasons: str


@dataclass
class RescoreReport:
    days: int
    applied: bool
    examined: int = 0
    changed: int = 0
    # "published→held": 3, ...
    transitions: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[Example]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def check_days(days: int) -> int:
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(
            f"Re-score between 1 and {MAX_DAYS} days of comments.", code="days", field="days"
        )
    return days


def _liftable() -> frozenset[str]:
    return CONTENT_CHECK_NAMES | {READER_CHECK} if reader_check_enabled() else CONTENT_CHECK_NAMES


def _only_content_holds(reasons: list[dict], liftable: frozenset[str]) -> bool:
    holding = [r for r in reasons if r.get("outcome") in ("hold", "reject")]
    return bool(holding) and all(r.get("check") in liftable for r in holding)


def _target(comment: Comment, outcome: Outcome, liftable: frozenset[str]) -> CommentStatus | None:
    """The status today's checks give it, where re-scoring may move it; else None."""
    before = CommentStatus(comment.status)
    after = _STATUS_FOR[outcome]
    if after == before:
        return None
    if before == CommentStatus.PUBLISHED:
        return after
    if before == CommentStatus.HELD:
        if after == CommentStatus.REJECTED:
            return after
        if after == CommentStatus.PUBLISHED and _only_content_holds(
            comment.moderation_reasons, liftable
        ):
            return after
    return None


def _trust_level(comment: Comment) -> int:
    standing = getattr(comment.author, "standing", None) if comment.author_id else None
    return standing.trust_level if standing else 0


def _sample(comment: Comment, *, terms, sensitive: bool) -> Sample:
    return Sample(
        body=comment.body_source,
        is_guest=comment.author_id is None,
        is_reply=comment.parent_id is not None,
        thread_premoderated=False,
        author_is_staff=bool(comment.author_id and comment.author.is_staff),
        account=AccountState(trust_level=_trust_level(comment)),
        policy=PolicyView(sensitive=sensitive),
        thread_id=comment.thread_id,
        terms=terms,
        at=now(),
        topic_title=comment.thread.title,
        topic_text=comment.thread.topic,
        reader_after=reader_check_enabled(),
    )


def _candidates(since: datetime):
    decided = ModerationAction.objects.filter(comment_id=OuterRef("pk"), kind__in=DECISION_KINDS)
    return (
        Comment.objects.filter(
            created_at__gte=since, status__in=(CommentStatus.PUBLISHED, CommentStatus.HELD)
        )
        .exclude(body_source="")
        .alias(decided=Exists(decided))
        .filter(decided=False)
    )


def rescore(
    *,
    days: int,
    apply: bool = False,
    actor: User | None = None,
    progress: Progress | None = None,
    at: datetime | None = None,
) -> RescoreReport:
    """Runs the content checks over the last `days` days of comments; changes them if `apply`."""
    days = check_days(days)
    since = (at or now()) - timedelta(days=days)
    ids = list(_candidates(since).order_by("pk").values_list("pk", flat=True))
    total = len(ids)
    report = RescoreReport(days=days, applied=apply)
    transitions: Counter[str] = Counter()
    terms = term_list()
    liftable = _liftable()
    sensitive_by_thread: dict[int, bool] = {}
    if progress:
        progress(0, total)
    for start in range(0, total, _BATCH):
        batch = list(
            Comment.objects.filter(pk__in=ids[start : start + _BATCH])
            .select_related("author", "author__standing", "thread")
            .order_by("pk")
        )
        readings = _readings(batch)
        for comment in batch:
            report.examined += 1
            if comment.thread_id not in sensitive_by_thread:
                policy = policy_for(comment.thread)
                sensitive_by_thread[comment.thread_id] = policy.view.sensitive
            sensitive = sensitive_by_thread[comment.thread_id]
            sample = _sample(comment, terms=terms, sensitive=sensitive)
            decision = decide(sample, CONTENT_CHECKS)
            if comment.pk in readings:
                decision = _with_reader(decision, readings[comment.pk], sensitive=sensitive)
            after = _target(comment, decision.outcome, liftable)
            if after is not None:
                _record(report, transitions, comment, after, decision, apply=apply, actor=actor)
            if progress and report.examined % _PROGRESS_EVERY == 0:
                progress(report.examined, total)
    report.transitions = dict(sorted(transitions.items()))
    if progress:
        progress(report.examined, total)
    return report


def _readings(comments: list[Comment]) -> dict[int, dict[str, float]]:
    """The reader model's probabilities per comment id, one batched pass; trusted members'
    comments are not judged, as in the worker (none at all when it is off)."""
    comments = [c for c in comments if _trust_level(c) < TRUSTED_LEVEL]
    if not comments or not reader_check_enabled():
        return {}
    texts = [c.body_source for c in comments]
    return dict(
        zip((c.pk for c in comments), reader.model().probabilities_many(texts), strict=True)
    )


def _with_reader(decision: Decision, probabilities: dict, *, sensitive: bool) -> Decision:
    verdict = reader_verdict(probabilities, sensitive=sensitive)
    if verdict is None:
        return decision
    outcome = Outcome.REJECT if decision.outcome == Outcome.REJECT else Outcome.HOLD
    return Decision(outcome=outcome, verdicts=(*decision.verdicts, verdict))


def _record(report, transitions, comment, after, decision, *, apply, actor) -> None:
    before = CommentStatus(comment.status)
    key = f"{before}→{after}"
    reasons = (
        "; ".join(
            f"{v.check}: {v.reason}" for v in decision.verdicts if v.outcome != Outcome.PUBLISH
        )
        or "passes today's checks"
    )
    examples = report.examples.setdefault(key, [])
    if len(examples) < EXAMPLES_PER_CHANGE:
        excerpt = " ".join(comment.body_source.split())
        excerpt = excerpt if len(excerpt) <= 140 else excerpt[:139] + "…"
        examples.append(Example(comment_id=comment.pk, excerpt=excerpt, reasons=reasons))
    if apply:
        record = {
            "check": RESCORE_CHECK,
            "outcome": str(decision.outcome),
            "reason": f"re-scored: {reasons}",
            "score": max((v.score for v in decision.verdicts), default=0.0),
        }
        changed = comment_set_status(
            comment_id=comment.pk,
            status=after,
            reasons=[*(v.as_record() for v in decision.verdicts), record],
            expect=(before,),
        )
        if changed is None:  # decided meanwhile
            return
        ModerationAction.objects.create(
            actor=actor,
            kind=ActionKind.RESCORE,
            comment_id=comment.pk,
            target_user_id=comment.author_id,
            reason=reasons[:1000],
            change={"status": [str(before), str(after)]},
        )
        report.changed += 1
    transitions[key] += 1


# -- runs in the background, with progress ------------------------------------------------------


def _run_key(run_id: str) -> str:
    return f"moderation:rescore:{run_id}"


def rescore_run_get(*, run_id: str) -> dict | None:
    return cache.get(_run_key(run_id))


def rescore_run_latest() -> dict | None:
    run_id = cache.get(_LATEST_KEY)
    return rescore_run_get(run_id=run_id) if run_id else None


def _run_save(state: dict) -> None:
    cache.set(_run_key(state["id"]), state, _RUN_TTL_SECONDS)


def rescore_run_create(*, days: int, apply: bool, actor: User | None, preview: str = "") -> dict:
    """A queued run's state. Applying needs a finished dry run of the same window first."""
    days = check_days(days)
    if apply:
        seen = rescore_run_get(run_id=preview) if preview else None
        if not seen or seen["apply"] or seen["status"] != "done" or seen["days"] != days:
            raise InvalidInput(
                "Preview the changes (a dry run of the same days) before applying them.",
                code="preview_first",
            )
    state = {
        "id": uuid.uuid4().hex,
        "days": days,
        "apply": apply,
        "actor_id": actor.pk if actor else None,
        "actor": actor.display_name if actor else "",
        "status": "queued",
        "processed": 0,
        "total": None,
        "report": None,
        "error": "",
        "created_at": now().isoformat(),
    }
    _run_save(state)
    cache.set(_LATEST_KEY, state["id"], _RUN_TTL_SECONDS)
    return state


def rescore_run_execute(*, run_id: str) -> dict:
    """What the task does: the run, with its progress saved as it goes."""
    state = rescore_run_get(run_id=run_id)
    if state is None:
        raise InvalidInput("There is no such re-scoring run (it may have expired).", code="run")
    actor = User.objects.filter(pk=state["actor_id"]).first() if state["actor_id"] else None
    state["status"] = "running"
    _run_save(state)

    def progress(processed: int, total: int) -> None:
        state["processed"], state["total"] = processed, total
        _run_save(state)

    try:
        report = rescore(days=state["days"], apply=state["apply"], actor=actor, progress=progress)
    except Exception as error:
        state["status"], state["error"] = "failed", f"{type(error).__name__}: {error}"
        _run_save(state)
        raise
    state["status"], state["report"] = "done", report.as_dict()
    _run_save(state)
    return state


def run_percent(state: dict) -> int | None:
    if state.get("status") == "done":
        return 100
    total = state.get("total")
    if not total:
        return None
    return min(100, round(100 * state["processed"] / total))
