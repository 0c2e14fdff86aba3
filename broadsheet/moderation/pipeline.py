"""The check pipeline: ordered checks over a plain comment sample, each returning a verdict.

A check returns None (nothing to say) or a Verdict: hold or reject, with a
reason and a score. The strictest verdict wins: reject > hold > publish. The
checks themselves live in `checks.py`; `DEFAULT_CHECKS` (what the intake runs on a
new comment) and `CONTENT_CHECKS` (what the text alone decides, for importers) are
read from there on first use, so this module stays importable from `checks.py`.

Everything a check needs is on the Sample as plain values, collected by the
intake beforehand (account state, rate counts, policy, fingerprints), so each
check is a pure function that a unit test calls with a hand-made Sample.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple

from broadsheet.classifiers.wordlists import TermList


class Outcome(StrEnum):
    PUBLISH = "publish"
    HOLD = "hold"
    REJECT = "reject"


_SEVERITY = {Outcome.PUBLISH: 0, Outcome.HOLD: 1, Outcome.REJECT: 2}


@dataclass(frozen=True)
class AccountState:
    """Who is posting, as far as bans and standing go (filled by `standing.account_state`)."""

    # Non-empty: an active ban on the account, the address hash or the e-mail hash.
    ban_message: str = ""
    suspended_until: datetime | None = None
    muted: bool = False
    shadow_banned: bool = False
    trust_level: int = 0


@dataclass(frozen=True)
class RateCount:
    """One rate window as counted for this attempt (this attempt included)."""

    name: str
    count: int
    limit: int
    window_seconds: int


@dataclass(frozen=True)
class PolicyView:
    """The discussion's policy as plain values (see `policies.policy_for`)."""

    mode: str = "none"
    first_k: int = 3
    sensitive: bool = False


class Fingerprint(NamedTuple):
    """A recent comment's SimHash and where it was posted (a tuple: hundreds are read per post)."""

    simhash: int
    thread_id: int


@dataclass(frozen=True)
class Sample:
    """What the checks see of a comment: plain values, no ORM objects."""

    body: str
    is_guest: bool
    is_reply: bool
    thread_premoderated: bool
    author_is_staff: bool = False
    account: AccountState = field(default_factory=AccountState)
    rates: tuple[RateCount, ...] = ()
    policy: PolicyView = field(default_factory=PolicyView)
    # The author's published comments so far (account, else guest token), counted up to
    # what the policy needs: 1, or K under a first-K policy.
    prior_published: int = 0
    # No earlier published comment from this author: a link holds it.
    first_comment: bool = False
    thread_id: int | None = None
    # SimHash of the body (0: too short to fingerprint) and recent ones to compare with.
    simhash: int = 0
    own_recent: tuple[Fingerprint, ...] = ()
    others_recent: tuple[Fingerprint, ...] = ()
    # None: the shipped default term list.
    terms: TermList | None = None
    at: datetime | None = None
    # The discussion's title and topic, for off-topic drift ("": not judged).
    topic_title: str = ""
    topic_text: str = ""
    # The reader model will judge it after the fact (moderation/reader_check.py), so the
    # comment model holds at the threshold chosen with the reader model's.
    reader_after: bool = False


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    check: str
    reason: str
    score: float = 1.0
    # Shown to the commenter when the comment is rejected.
    message: str = ""
    # A refusal stores nothing: the intake answers with an error (bans, rate limits,
    # a double post), so a banned or flooding client can't fill the database.
    refuse: bool = False
    status: int = 403
    code: str = ""

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

    @property
    def refusal(self) -> Verdict | None:
        """The first refusing verdict, if any: the comment is not stored at all."""
        return next((v for v in self.verdicts if v.refuse), None)

    @property
    def risk(self) -> float:
        """The strongest score among verdicts that held or rejected (0 when none did)."""
        return max((v.score for v in self.verdicts if v.outcome != Outcome.PUBLISH), default=0.0)


def decide(sample: Sample, checks: Sequence[Check]) -> Decision:
    verdicts = tuple(v for check in checks if (v := check(sample)) is not None)
    outcome = max((v.outcome for v in verdicts), key=_SEVERITY.__getitem__, default=Outcome.PUBLISH)
    return Decision(outcome=outcome, verdicts=verdicts)


def premoderated_thread(sample: Sample) -> Verdict | None:
    if sample.thread_premoderated and not sample.author_is_staff:
        return Verdict(Outcome.HOLD, "premoderation", "The discussion is pre-moderated.", 0.3)
    return None


def __getattr__(name: str) -> Any:
    """DEFAULT_CHECKS and CONTENT_CHECKS, from checks.py (which imports this module)."""
    if name in {"DEFAULT_CHECKS", "CONTENT_CHECKS", "EDIT_CHECKS"}:
        from . import checks

        return getattr(checks, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
