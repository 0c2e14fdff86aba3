"""The check pipeline: ordered checks over a plain comment sample, each returning a verdict.

A check returns None (nothing to say) or a Verdict: hold or reject, with a
reason and a score. The strictest verdict wins: reject > hold > publish. The
moderation issue adds checks here (rate, duplicates, links, words, classifier).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    PUBLISH = "publish"
    HOLD = "hold"
    REJECT = "reject"


_SEVERITY = {Outcome.PUBLISH: 0, Outcome.HOLD: 1, Outcome.REJECT: 2}


@dataclass(frozen=True)
class Sample:
    """What the checks see of a comment: plain values, no ORM objects."""

    body: str
    is_guest: bool
    is_reply: bool
    thread_premoderated: bool
    author_is_staff: bool = False


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    check: str
    reason: str
    score: float = 1.0
    # Shown to the commenter when the comment is rejected.
    message: str = ""

    def as_record(self) -> dict:
        return {
            "check": self.check,
            "outcome": str(self.outcome),
            "reason": self.reason,
            "score": self.score,
        }


Check = Callable[[Sample], Verdict | None]


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    verdicts: tuple[Verdict, ...] = field(default=())

    @property
    def message(self) -> str:
        for verdict in self.verdicts:
            if verdict.outcome == self.outcome and verdict.message:
                return verdict.message
        return ""


def decide(sample: Sample, checks: Sequence[Check]) -> Decision:
    verdicts = tuple(v for check in checks if (v := check(sample)) is not None)
    outcome = max((v.outcome for v in verdicts), key=_SEVERITY.__getitem__, default=Outcome.PUBLISH)
    return Decision(outcome=outcome, verdicts=verdicts)


def premoderated_thread(sample: Sample) -> Verdict | None:
    if sample.thread_premoderated and not sample.author_is_staff:
        return Verdict(Outcome.HOLD, "premoderation", "The discussion is pre-moderated.")
    return None


DEFAULT_CHECKS: tuple[Check, ...] = (premoderated_thread,)
