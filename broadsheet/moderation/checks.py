"""The intake's checks, in the order they run. Each is a pure function of a Sample.

1. account state: a ban, suspension or mute refuses the comment (nothing stored);
   a shadow-ban lets it through (the intake marks it `shadowed`);
2. rate limits: per client address hash, per account or guest token, and bursts
   in one thread; past a limit the comment is refused (429), nothing stored;
3. size: a very long comment from someone without a record is held;
4. duplicates: the same text again from the same person in the same thread is
   refused (a double post); in another thread, held; the same text flooding
   several threads from anyone is held, and past a few threads rejected;
5. policy: the thread's pre-moderation and the site's or the thread's policy
   (everything, guests, a user's first K comments, comments with links);
6. content (the only ones the importers run, `CONTENT_CHECKS`): banned words and
   blocked link domains reject; link rules, suspect words, the offensive-language
   probability, the site's own comment model and spam signals hold. These come
   from one `classifiers.scoring` assessment of the text, computed once per sample.

A trusted author (level 3 and up) gets slightly higher hold thresholds; a
sensitive story gets lower ones (`Thresholds.sensitive`).
"""

from dataclasses import replace
from functools import lru_cache

from django.utils.formats import date_format
from django.utils.timezone import localtime

from broadsheet.classifiers import duplicates, reader
from broadsheet.classifiers.scoring import (
    DEFAULT_THRESHOLDS,
    MODEL_REASON,
    REJECT,
    Assessment,
    Context,
    Thresholds,
    assess,
)

from .pipeline import Check, Outcome, Sample, Verdict, premoderated_thread

# Trust level from which content thresholds are relaxed, and by how much.
TRUSTED_LEVEL = 3
TRUSTED_SLACK = 0.1
# Longer than this from a guest or a new account: a moderator looks first.
LONG_COMMENT_CHARS = 5000
# Near duplicates from others in this many other threads (within the hour) hold; more reject.
FLOOD_HOLD_THREADS = 2
FLOOD_REJECT_THREADS = 4
BANNED_MESSAGE = "This comment can't be published: it contains language this site doesn't allow."


# -- account state ------------------------------------------------------------------------------


def account_state(sample: Sample) -> Verdict | None:
    account = sample.account
    if account.ban_message:
        return Verdict(
            Outcome.REJECT, "account", "banned", message=account.ban_message,
            refuse=True, code="banned",
        )  # fmt: skip
    if account.suspended_until and (sample.at is None or account.suspended_until > sample.at):
        until = date_format(localtime(account.suspended_until), "j F Y, H:i")
        return Verdict(
            Outcome.REJECT, "account", "suspended",
            message=f"Your account is suspended from commenting until {until}.",
            refuse=True, code="suspended",
        )  # fmt: skip
    if account.muted:
        return Verdict(
            Outcome.REJECT, "account", "muted by moderators",
            message="Your account can read the discussion but not comment in it.",
            refuse=True, code="muted",
        )  # fmt: skip
    if account.shadow_banned:
        # Published as far as the author can tell; the intake marks it shadowed.
        return Verdict(Outcome.PUBLISH, "account", "shadow-banned: shown to its author only")
    return None


# -- rate limits --------------------------------------------------------------------------------


def rate_limits(sample: Sample) -> Verdict | None:
    for rate in sample.rates:
        if rate.count > rate.limit:
            wait = _window_words(rate.window_seconds)
            return Verdict(
                Outcome.REJECT, "rate", f"{rate.name}: {rate.count} in {wait} (limit {rate.limit})",
                message=f"You are commenting too quickly. Wait a little (at most {wait}) "
                "and try again.",
                refuse=True, status=429, code="rate_limited",
            )  # fmt: skip
    return None


def _window_words(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return "an hour" if hours == 1 else f"{hours} hours"
    if seconds % 60 == 0:
        minutes = seconds // 60
        return "a minute" if minutes == 1 else f"{minutes} minutes"
    return f"{seconds} seconds"


# -- size ---------------------------------------------------------------------------------------


def size(sample: Sample) -> Verdict | None:
    """The hard limit is the intake's (a 4xx); here, a long first word from a stranger is held."""
    newcomer = sample.is_guest or sample.account.trust_level == 0
    if newcomer and not sample.author_is_staff and len(sample.body) > LONG_COMMENT_CHARS:
        return Verdict(
            Outcome.HOLD, "size", f"{len(sample.body):,} characters from a new commenter", 0.5
        )
    return None


# -- duplicates ---------------------------------------------------------------------------------


def duplicate_text(sample: Sample) -> Verdict | None:
    if not sample.simhash:
        return None
    near = duplicates.NEAR_DUPLICATE_BITS
    own = [f for f in sample.own_recent if duplicates.hamming(f.simhash, sample.simhash) <= near]
    if any(f.thread_id == sample.thread_id for f in own):
        return Verdict(
            Outcome.REJECT, "duplicate", "the same text again in this discussion",
            message="You have posted this comment here already.",
            refuse=True, status=409, code="duplicate",
        )  # fmt: skip
    if own:
        return Verdict(Outcome.HOLD, "duplicate", "the same text posted in another discussion", 0.7)
    threads = {
        f.thread_id
        for f in sample.others_recent
        if f.thread_id != sample.thread_id and duplicates.hamming(f.simhash, sample.simhash) <= near
    }
    if len(threads) >= FLOOD_REJECT_THREADS:
        return Verdict(
            Outcome.REJECT, "duplicate", f"the same text flooded into {len(threads)} discussions",
            0.95, message="This text has been posted in many discussions; it looks like spam.",
        )  # fmt: skip
    if len(threads) >= FLOOD_HOLD_THREADS:
        return Verdict(
            Outcome.HOLD, "duplicate", f"the same text in {len(threads)} other discussions", 0.8
        )
    return None


# -- policy -------------------------------------------------------------------------------------


def policy(sample: Sample) -> Verdict | None:
    if sample.author_is_staff:
        return None
    mode = sample.policy.mode
    if mode == "all":
        return Verdict(Outcome.HOLD, "policy", "every comment is pre-moderated", 0.3)
    if mode == "guests" and sample.is_guest:
        return Verdict(Outcome.HOLD, "policy", "guest comments are pre-moderated", 0.3)
    if mode == "first_k" and sample.prior_published < sample.policy.first_k:
        k = sample.policy.first_k
        return Verdict(
            Outcome.HOLD, "policy",
            f"a commenter's first {k} comments are pre-moderated ({sample.prior_published} so far)",
            0.3,
        )  # fmt: skip
    if mode == "links" and _assessment(sample).links.count:
        return Verdict(Outcome.HOLD, "policy", "comments with links are pre-moderated", 0.3)
    return None


# -- content ------------------------------------------------------------------------------------


def _thresholds(sample: Sample) -> Thresholds:
    thresholds = DEFAULT_THRESHOLDS
    if sample.account.trust_level >= TRUSTED_LEVEL and not sample.is_guest:
        slack = TRUSTED_SLACK
        thresholds = replace(
            thresholds,
            abuse=min(0.95, thresholds.abuse + slack),
            hate=min(0.95, thresholds.hate + slack),
            profanity=min(0.95, thresholds.profanity + slack),
            spam=min(0.95, thresholds.spam + slack),
            offensive=min(0.97, thresholds.offensive + slack / 2),
            learned=thresholds.learned * (1 + slack),
        )
    elif sample.reader_after:
        thresholds = thresholds.model_scaled(reader.comment_model_factor())
    return thresholds


def _assessment(sample: Sample) -> Assessment:
    return _assess_cached(
        sample.body,
        Context(
            title=sample.topic_title,
            text=sample.topic_text,
            sensitive=sample.policy.sensitive,
            first_comment=sample.first_comment,
            terms=sample.terms,
            thresholds=_thresholds(sample),
        ),
    )


@lru_cache(maxsize=32)
def _assess_cached(body: str, context: Context) -> Assessment:
    """The checks below share one assessment of a sample (a few ms at most)."""
    return assess(body, context=context)


def _reasons(assessment: Assessment, prefix: tuple[str, ...]) -> list[str]:
    details = [
        r.detail
        for r in assessment.reasons
        if r.category in prefix and not r.detail.startswith("score at or above")
    ]
    return details[:3]


def banned_words(sample: Sample) -> Verdict | None:
    assessment = _assessment(sample)
    banned = [r for r in assessment.reasons if r.detail.startswith("banned term")]
    if assessment.outcome == REJECT and banned:
        return Verdict(
            Outcome.REJECT, "words", banned[0].detail, banned[0].score,
            message=BANNED_MESSAGE,
        )  # fmt: skip
    return None


def link_rules(sample: Sample) -> Verdict | None:
    assessment = _assessment(sample)
    blocked = [r for r in assessment.reasons if r.detail.startswith("blocked domain")]
    if assessment.outcome == REJECT and blocked:
        host = blocked[0].detail.removeprefix("blocked domain ")
        return Verdict(
            Outcome.REJECT, "links", blocked[0].detail, blocked[0].score,
            message=f"Links to {host} are not allowed here.",
        )  # fmt: skip
    count = assessment.links.count
    limit = _assessment_thresholds(sample).max_links
    if count > limit:
        return Verdict(Outcome.HOLD, "links", f"{count} links (more than {limit})", 0.9)
    if sample.first_comment and count:
        return Verdict(Outcome.HOLD, "links", "a first comment with a link", 0.6)
    return None


def _assessment_thresholds(sample: Sample) -> Thresholds:
    thresholds = _thresholds(sample)
    return thresholds.sensitive() if sample.policy.sensitive else thresholds


def offensive_language(sample: Sample) -> Verdict | None:
    """Abuse, hate and profanity: suspect words, the model's probability, aimed violence."""
    assessment = _assessment(sample)
    thresholds = _assessment_thresholds(sample)
    over = [
        (assessment.scores[c], c)
        for c in ("abuse", "hate", "profanity")
        if assessment.scores[c] >= getattr(thresholds, c)
    ]
    if not over:
        return None
    score, category = max(over)
    details = "; ".join(_reasons(assessment, (category,)))
    reason = f"{category} {score:.2f}" + (f": {details}" if details else "")
    if "probability" not in details:
        reason += f" (offensive-language probability {assessment.offensive:.2f})"
    return Verdict(Outcome.HOLD, category, reason, score)


def comment_model(sample: Sample) -> Verdict | None:
    """The site's own model (classifiers/learned.py): abuse or hate in words no list holds."""
    held = next((r for r in _assessment(sample).reasons if r.detail.startswith(MODEL_REASON)), None)
    if held is None:
        return None
    return Verdict(Outcome.HOLD, held.category, f"{held.category}: {held.detail}", held.score)


def spam_signals(sample: Sample) -> Verdict | None:
    assessment = _assessment(sample)
    thresholds = _assessment_thresholds(sample)
    spam = assessment.scores["spam"]
    if spam >= thresholds.spam:
        details = "; ".join(_reasons(assessment, ("spam",)))
        return Verdict(Outcome.HOLD, "spam", f"spam {spam:.2f}: {details}", spam)
    off_topic = assessment.scores["off_topic"]
    if off_topic >= thresholds.off_topic and (
        spam >= thresholds.off_topic_with_spam or assessment.links.count
    ):
        return Verdict(Outcome.HOLD, "off_topic", "off topic with spam signals", off_topic)
    return None


CONTENT_CHECKS: tuple[Check, ...] = (
    banned_words,
    link_rules,
    offensive_language,
    comment_model,
    spam_signals,
)
DEFAULT_CHECKS: tuple[Check, ...] = (
    account_state,
    rate_limits,
    duplicate_text,
    premoderated_thread,
    policy,
    size,
    *CONTENT_CHECKS,
)
# An author's edit: no rate limits (the comment exists already).
EDIT_CHECKS: tuple[Check, ...] = tuple(c for c in DEFAULT_CHECKS if c is not rate_limits)
