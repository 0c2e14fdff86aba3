"""Pipeline-ready checks built on `assess` and the duplicate fingerprints.

The moderation pipeline runs checks `(Sample) -> Verdict | None`. This app sits
below moderation in the import layers, so it cannot import `Sample` or
`Verdict`; instead a check here reads any object with the sample's attributes
(`CommentSample`) and returns a `Finding`, which has Verdict's fields and an
`outcome` equal to moderation's `Outcome` values (both are `StrEnum`s of
"publish"/"hold"/"reject"), so `moderation.pipeline.decide` accepts it as it is.
Wiring code that wants real Verdicts converts with
`Verdict(Outcome(f.outcome), f.check, f.reason, f.score, f.message)`.

    from broadsheet.classifiers.checks import content_check, duplicate_check
    decide(sample, [*DEFAULT_CHECKS, duplicate_check, content_check])

`make_content_check(...)` builds the same check over the site's own term lists,
blocked domains and thresholds (what moderators edit).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from . import duplicates
from .default_terms import DEFAULT_BLOCKED_DOMAINS
from .scoring import DEFAULT_THRESHOLDS, HOLD, REJECT, Assessment, Context, Thresholds, assess
from .wordlists import Term, TermList


class Outcome(StrEnum):
    """Same values as `moderation.pipeline.Outcome`."""

    PUBLISH = "publish"
    HOLD = "hold"
    REJECT = "reject"


class CommentSample(Protocol):
    """The one attribute every sample has; the others are read when present.

    Optional attributes (read with defaults, so the pipeline's Sample can grow
    them one at a time): `thread_title`, `thread_text` (off-topic drift),
    `sensitive` or `policy.sensitive`, `first_comment`, `terms` (a TermList),
    `recent_hashes` (exact hashes), `recent_simhashes` and/or `own_recent` /
    `others_recent` (objects with a `.simhash`).
    """

    body: str


@dataclass(frozen=True)
class Finding:
    """A check's verdict, field for field like `moderation.pipeline.Verdict`."""

    outcome: Outcome
    check: str
    reason: str
    score: float = 1.0
    message: str = ""

    def as_record(self) -> dict:
        return {
            "check": self.check,
            "outcome": str(self.outcome),
            "reason": self.reason,
            "score": self.score,
        }


ContentCheck = Callable[[CommentSample], Finding | None]

_DUPLICATE_MESSAGE = "This comment repeats one you already posted."


def context_for(
    sample: CommentSample,
    *,
    terms: TermList | None = None,
    blocked_domains: tuple[str, ...] = DEFAULT_BLOCKED_DOMAINS,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Context:
    """The scoring context a sample carries (missing attributes take their defaults)."""
    policy = getattr(sample, "policy", None)
    return Context(
        title=getattr(sample, "thread_title", ""),
        text=getattr(sample, "thread_text", ""),
        sensitive=bool(getattr(sample, "sensitive", False) or getattr(policy, "sensitive", False)),
        first_comment=bool(getattr(sample, "first_comment", False)),
        terms=getattr(sample, "terms", None) or terms,
        blocked_domains=blocked_domains,
        thresholds=thresholds,
    )


def _recent_simhashes(sample: CommentSample) -> list[int]:
    found = list(getattr(sample, "recent_simhashes", ()))
    for name in ("own_recent", "others_recent"):
        found.extend(f.simhash for f in getattr(sample, name, ()))
    return found


def finding_from(assessment: Assessment, *, check: str = "content") -> Finding | None:
    """The Finding for an assessment; None when it publishes."""
    if assessment.outcome == HOLD or assessment.outcome == REJECT:
        top = assessment.reasons[0] if assessment.reasons else None
        reason = "; ".join(str(r) for r in assessment.reasons[:4])
        return Finding(
            Outcome(assessment.outcome),
            check,
            reason,
            score=top.score if top else 1.0,
            message=assessment.message,
        )
    return None


def make_content_check(
    *,
    terms: Iterable[Term] | TermList | None = None,
    exceptions: Iterable[str] = (),
    blocked_domains: Iterable[str] = DEFAULT_BLOCKED_DOMAINS,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> ContentCheck:
    """A content check over the given lists (compiled once, here, not per comment)."""
    compiled = (
        terms
        if isinstance(terms, TermList) or terms is None
        else TermList(terms, exceptions=exceptions)
    )
    blocked = tuple(blocked_domains)

    def content(sample: CommentSample) -> Finding | None:
        context = context_for(
            sample, terms=compiled, blocked_domains=blocked, thresholds=thresholds
        )
        return finding_from(assess(sample.body, context=context))

    return content


content_check: ContentCheck = make_content_check()


def duplicate_check(sample: CommentSample) -> Finding | None:
    """Rejects the same text again; holds a near copy (a flood with small edits)."""
    if not duplicates.is_fingerprinted(sample.body):
        return None
    recent_hashes = getattr(sample, "recent_hashes", ())
    if recent_hashes and duplicates.exact_hash(sample.body) in recent_hashes:
        return Finding(
            Outcome.REJECT, "duplicate", "same text as a recent comment", 1.0, _DUPLICATE_MESSAGE
        )
    recent = _recent_simhashes(sample)
    if recent:
        distance = duplicates.nearest(duplicates.simhash(sample.body), recent)
        if distance <= duplicates.NEAR_DUPLICATE_BITS:
            reason = f"near copy of a recent comment ({distance} bits apart)"
            return Finding(Outcome.HOLD, "duplicate", reason, round(1 - distance / 64, 3))
    return None
