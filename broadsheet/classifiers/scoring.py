"""One assessment per comment: a score per category, an outcome and the reasons.

`assess(text, context=...)` runs every pure check (word lists, links, spam
patterns, the offensive-language model, off-topic drift) and combines them.
Scores are 0..1 per category (abuse, hate, profanity, spam, off_topic). Within
a category, signals combine as a noisy OR, 1 - prod(1 - w): two weak signals
make a stronger one, and no sum passes 1.

Outcome:
- reject: a banned term (threat, slur) or a blocked domain; the commenter is told why;
- hold: any category at or above its threshold in `Thresholds` (a moderator decides);
- publish: otherwise.
Off-topic drift alone never holds: it holds only beside a spam or link signal,
because heated threads wander and wandering is allowed.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache

from . import heuristics, learned, phrasing, toxicity
from . import links as link_rules
from .default_terms import DEFAULT_BLOCKED_DOMAINS, DEFAULT_EXCEPTIONS, DEFAULT_TERMS
from .group_words import DEHUMANIZING, GROUPS
from .links import Links
from .normalize import tokens
from .wordlists import Category, Level, TermList

PUBLISH, HOLD, REJECT = "publish", "hold", "reject"
# How a hold by the site's own model (learned.py) reads among an assessment's reasons.
MODEL_REASON = "comment model"
CATEGORIES: tuple[Category, ...] = tuple(Category)


@dataclass(frozen=True)
class Thresholds:
    """Scores at which a comment is held; tuned on the tuning split of the evaluation set."""

    # Read off the tuning split: just above the highest score a civil comment
    # reached there (abuse 0, hate 0.35, spam 0, model 0.85). Profanity: one
    # swear word at a situation ("what a shitshow") is civil; two strong ones
    # hold, and any aimed at a person counts as abuse.
    abuse: float = 0.45
    hate: float = 0.45
    profanity: float = 0.85
    spam: float = 0.45
    # Off-topic drift holds only when spam reaches `off_topic_with_spam` too.
    off_topic: float = 0.85
    off_topic_with_spam: float = 0.25
    # The offensive-language model alone holds at this probability.
    offensive: float = 0.9
    # A factor on the site's own model's threshold (learned.py; chosen when it was trained).
    learned: float = 1.0
    # More links than this holds the comment.
    max_links: int = 3

    def model_scaled(self, factor: float) -> "Thresholds":
        """The comment model's threshold times `factor` (the reader model judging the
        comment after the fact: joint_calibration.py)."""
        return replace(self, learned=self.learned * factor)

    def sensitive(self) -> "Thresholds":
        """Lower hold thresholds for a story marked sensitive: more goes to a moderator."""
        return replace(
            self,
            abuse=round(self.abuse * 0.75, 3),
            hate=round(self.hate * 0.6, 3),
            profanity=round(self.profanity * 0.75, 3),
            spam=round(self.spam * 0.85, 3),
            offensive=round(self.offensive * 0.8, 3),
            learned=round(self.learned * 0.85, 3),
            max_links=max(1, self.max_links - 1),
        )


DEFAULT_THRESHOLDS = Thresholds()


@cache
def default_term_list() -> TermList:
    return TermList(DEFAULT_TERMS, exceptions=DEFAULT_EXCEPTIONS)


@cache
def _default_generalizations() -> heuristics.Generalizations:
    return heuristics.Generalizations(GROUPS, DEHUMANIZING)


@dataclass(frozen=True)
class Context:
    """What a comment is judged against: its story, the site's lists and thresholds."""

    # The story's title and some of its text (for off-topic drift); empty: not judged.
    title: str = ""
    text: str = ""
    sensitive: bool = False
    # A first comment from this author: any link holds it.
    first_comment: bool = False
    terms: TermList | None = None  # None: the shipped defaults
    blocked_domains: tuple[str, ...] = DEFAULT_BLOCKED_DOMAINS
    thresholds: Thresholds = DEFAULT_THRESHOLDS

    @property
    def effective_thresholds(self) -> Thresholds:
        return self.thresholds.sensitive() if self.sensitive else self.thresholds


@dataclass(frozen=True)
class Reason:
    category: str
    detail: str
    score: float

    def __str__(self) -> str:
        return f"{self.category}: {self.detail} ({self.score:.2f})"


@dataclass(frozen=True)
class Assessment:
    outcome: str  # publish | hold | reject
    scores: Mapping[str, float]
    # The model's offensive-language probability (English only).
    offensive: float
    reasons: tuple[Reason, ...] = ()
    # Shown to the commenter when rejected.
    message: str = ""
    links: Links = field(default_factory=Links)

    @property
    def needs_moderator(self) -> bool:
        return self.outcome != PUBLISH

    @property
    def top_category(self) -> str:
        return max(self.scores, key=self.scores.__getitem__)


class _Scores:
    """Noisy-OR accumulator per category, keeping the strongest reasons."""

    def __init__(self) -> None:
        self.keep = {c: 1.0 for c in CATEGORIES}
        self.reasons: list[Reason] = []

    def add(self, category: Category, weight: float, detail: str) -> None:
        weight = min(max(weight, 0.0), 0.99)
        if weight <= 0:
            return
        self.keep[category] *= 1.0 - weight
        self.reasons.append(Reason(str(category), detail, round(weight, 3)))

    def score(self, category: Category) -> float:
        return round(1.0 - self.keep[category], 4)


_MESSAGE_BANNED = "This comment can't be published: it contains language this site doesn't allow."


def _learned_hold(text: str, thresholds: Thresholds) -> Reason | None:
    if len(tokens(text)) < learned.MIN_WORDS:
        return None
    probability = learned.probabilities(text)
    limit = learned.trained_threshold()
    if not probability or limit is None:
        return None
    flag = 1.0 - probability["civil"]
    if flag < limit * thresholds.learned:
        return None
    category = max((c for c in probability if c != "civil"), key=probability.__getitem__)
    return Reason(category, f"{MODEL_REASON} {flag:.2f}", round(flag, 4))


def assess(text: str, *, context: Context | None = None) -> Assessment:
    """Scores a comment's text against a context; pure and deterministic."""
    context = context or Context()
    thresholds = context.effective_thresholds
    terms = context.terms if context.terms is not None else default_term_list()
    words = tokens(text)
    scores = _Scores()
    rejections: list[str] = []

    # Word lists.
    for match in terms.find_in_tokens(words):
        term = match.term
        if term.level == Level.BANNED:
            rejections.append(_MESSAGE_BANNED)
            scores.add(term.category, 0.99, f'banned term "{term.text}"')
            continue
        weight = term.weight
        if term.aimed:
            if not heuristics.aimed_at_you(words, match.start, match.end):
                continue
        elif term.category == Category.ABUSE and heuristics.aimed(words, match.start, match.end):
            weight = min(0.95, weight + 0.3)
        elif term.category == Category.PROFANITY and heuristics.aimed_at_you(
            words, match.start, match.end
        ):
            scores.add(Category.ABUSE, weight, f'"{term.text}" aimed at a person')
        scores.add(term.category, weight, f'"{term.text}"')

    # Generalizations about a group, and the "(((echo)))" marker.
    generalizations = _default_generalizations().count(words)
    if generalizations:
        weight = 0.35 + 0.25 * generalizations
        scores.add(Category.HATE, weight, "group named beside dehumanizing words")
    if "(((" in text and ")))" in text:
        scores.add(Category.HATE, 0.9, "echo brackets around a name")

    # The model: offensive language, aimed at someone or not.
    offensive = toxicity.offensive_probability(" ".join(words))
    speaks_to_someone = heuristics.addresses_someone(words)
    if offensive >= 0.5:
        if speaks_to_someone:
            scores.add(Category.ABUSE, offensive * 0.6, "offensive language aimed at 'you'")
        scores.add(Category.PROFANITY, offensive * 0.5, "offensive language (model)")
    # Alone it holds only words to someone: "this stinks", "a pile of crap" about a plan
    # score high and are civil; insults without a "you" are the comment model's to find.
    if offensive >= thresholds.offensive and speaks_to_someone:
        scores.add(Category.ABUSE, offensive, f"offensive-language probability {offensive:.2f}")
    if heuristics.violence_at_someone(words):
        scores.add(Category.ABUSE, 0.7, "violence aimed at a person")
    for phrase in phrasing.find(words):
        scores.add(Category.ABUSE, phrase.weight, phrase.detail)
    # The site's own model: abuse or hate in words no list holds. It holds on its own.
    model_hold = _learned_hold(text, thresholds)

    # Links and spam patterns.
    found = link_rules.extract_links(text)
    blocked = link_rules.blocked_domains(found, context.blocked_domains)
    if blocked:
        rejections.append(f"Links to {blocked[0]} are not allowed here.")
        scores.add(Category.SPAM, 0.99, f"blocked domain {blocked[0]}")
    if found.count:
        scores.add(Category.SPAM, 0.15 + 0.15 * (found.count - 1), f"{found.count} link(s)")
    if found.count > thresholds.max_links:
        scores.add(Category.SPAM, 0.9, f"more than {thresholds.max_links} links")
    for host in found.domains:
        if host in link_rules.SHORTENERS:
            scores.add(Category.SPAM, 0.5, f"link shortener {host}")
        elif link_rules.tld(host) in link_rules.SPAMMY_TLDS:
            scores.add(Category.SPAM, 0.35, f"spam-favoured domain {host}")
    for host in found.obfuscated:
        scores.add(Category.SPAM, 0.55, f'disguised link "{host}"')
    if found.emails:
        scores.add(Category.SPAM, 0.3, "e-mail address")
    if n := heuristics.phone_numbers(text):
        scores.add(Category.SPAM, 0.45, f"{n} phone number(s)")
    if n := heuristics.crypto_addresses(text):
        scores.add(Category.SPAM, 0.7, "crypto wallet address")
    if n := heuristics.money_offers(text):
        scores.add(Category.SPAM, 0.45, "earnings offer")
    caps = heuristics.caps_ratio(text)
    if caps >= 0.7:
        scores.add(Category.SPAM, 0.15, f"shouting ({caps:.0%} capitals)")
    if heuristics.repeated_characters(text) >= 2:
        scores.add(Category.SPAM, 0.1, "repeated characters")

    # Off-topic drift: a weak signal, reported and used only beside spam signals.
    topic = heuristics.vocabulary(f"{context.title}\n{context.text}")
    drift = heuristics.off_topic_score(text, topic)
    if drift >= thresholds.off_topic:
        scores.add(Category.OFF_TOPIC, drift, "little in common with the story")

    final = {str(c): scores.score(c) for c in CATEGORIES}
    reasons = sorted(scores.reasons, key=lambda r: -r.score)
    if rejections:
        return Assessment(REJECT, final, offensive, tuple(reasons), rejections[0], found)

    held: list[Reason] = [model_hold] if model_hold else []
    for category in (Category.ABUSE, Category.HATE, Category.PROFANITY, Category.SPAM):
        threshold = getattr(thresholds, str(category))
        if final[category] >= threshold:
            held.append(Reason(str(category), f"score at or above {threshold}", final[category]))
    if final[Category.OFF_TOPIC] >= thresholds.off_topic and (
        final[Category.SPAM] >= thresholds.off_topic_with_spam or found.count
    ):
        held.append(Reason("off_topic", "off topic with spam signals", final[Category.OFF_TOPIC]))
    if context.first_comment and found.count:
        held.append(Reason("spam", "a first comment with a link", final[Category.SPAM]))
    outcome = HOLD if held else PUBLISH
    return Assessment(outcome, final, offensive, tuple(held + reasons), "", found)
