"""Small text signals that no word list carries: shouting, spam contact patterns,
off-topic drift, hateful generalizations about a group, insults aimed at a person.

Each returns a plain number or flag; `scoring` weighs them. None is a verdict on
its own: shouting or drifting off topic is allowed, it only adds to other signals.
"""

import re
from collections.abc import Sequence
from functools import lru_cache

from .normalize import tokens

# --- shouting and noise -------------------------------------------------------

_REPEAT = re.compile(r"(.)\1{4,}")


def caps_ratio(text: str) -> float:
    """Share of upper-case letters among letters; 0 for texts under 20 letters."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 20:
        return 0.0
    return sum(ch.isupper() for ch in letters) / len(letters)


def repeated_characters(text: str) -> int:
    """Runs of five or more of one character ("!!!!!", "sooooo")."""
    return len(_REPEAT.findall(text))


# --- spam contact and money patterns -----------------------------------------

_PHONE = re.compile(r"(?<![\w.])\+?\d(?:[\s().-]*\d){8,13}(?![\w.])")
_YEARS = re.compile(r"^(?:1[89]|20)\d\d\s*[-\u2013]\s*(?:1[89]|20)\d\d$")
_BITCOIN = re.compile(r"\b(?:bc1[a-z0-9]{25,60}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})\b")
_ETHEREUM = re.compile(r"\b0x[0-9a-fA-F]{40}\b")
_MONEY = re.compile(
    r"(?:[$£€]\s?\d[\d,.]*\s?k?|\d[\d,.]*\s?(?:k|dollars|pounds|euros|usd|gbp))"
    r"(?:\s*(?:\+|or more))?\s*(?:per|a|an|/|every)\s*(?:day|week|hour|month|hr|wk)\b",
    re.IGNORECASE,
)
_EARNING = re.compile(
    r"\b(?:earn(?:ed|ing|s)?|make|making|made|paid|income|profit|cash|payout|withdrew)\b",
    re.IGNORECASE,
)


def phone_numbers(text: str) -> int:
    return sum(1 for m in _PHONE.finditer(text) if not _YEARS.match(m.group(0).strip()))


def crypto_addresses(text: str) -> int:
    return len(_BITCOIN.findall(text)) + len(_ETHEREUM.findall(text))


def money_offers(text: str) -> int:
    """'$300 a day' near 'earn'/'make'/'paid': the work-from-home pitch, not a rent figure."""
    count = 0
    for match in _MONEY.finditer(text):
        window = text[max(0, match.start() - 80) : match.end() + 80]
        if _EARNING.search(window):
            count += 1
    return count


# --- off topic ----------------------------------------------------------------

_STOPWORD_TEXT = """
    a about above after again against all also am an and any are aren as at be because been
    before being below between both but by can cant could couldnt did didnt do does doesnt
    doing dont down during each even ever every few for from further get gets got had hadnt
    has hasnt have havent having he hed hes her here heres hers herself him himself his how
    hows i id ill im ive if in into is isnt it its itself just lets like me more most much
    must mustnt my myself no nor not now of off on once one only or other ought our ours
    ourselves out over own really same shant she shed shes should shouldnt so some such than
    that thats the their theirs them themselves then there theres these they theyd theyll
    theyre theyve this those though through to too under until up us very was wasnt we wed
    well were weve werent what whats when whens where wheres which while who whos whom why
    whys will with wont would wouldnt yes yet you youd youll youre youve your yours yourself
    yourselves anyone anybody anything everyone everything someone something thing things
    people going know think say said see way make made want good new time still back lot
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def _stem(word: str) -> str:
    """A crude stem, enough to meet 'homes'/'home' and 'council's'/'council'."""
    return word[:6]


def content_words(text: str) -> list[str]:
    return [_stem(w) for w in tokens(text) if len(w) > 2 and w.isalpha() and w not in STOPWORDS]


@lru_cache(maxsize=512)
def vocabulary(text: str) -> frozenset[str]:
    """Stems of a story's title and text (cached per story text)."""
    return frozenset(content_words(text))


# A story shorter than this (in distinct content words) is too little to say what is
# off its topic: a brief's few words would make nearly every comment "drift".
MIN_TOPIC_WORDS = 60


def off_topic_score(text: str, topic: frozenset[str]) -> float:
    """1 - share of the comment's content words that the story also uses.

    0 when the topic is too small to judge by or the comment too short (under 5 content words).
    """
    words = content_words(text)
    if len(topic) < MIN_TOPIC_WORDS or len(words) < 5:
        return 0.0
    shared = sum(1 for w in words if w in topic)
    return 1.0 - shared / len(words)


# --- hate: a group named beside dehumanizing words ----------------------------


def _phrases(items: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(t for item in items if (t := tokens(item)))


def _by_first_word(phrases: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases keyed by their first word: a position is tried against its own few only."""
    keyed: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        keyed.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(found) for first, found in keyed.items()}


def _positions(words: Sequence[str], phrases: dict[str, tuple[tuple[str, ...], ...]]) -> list[int]:
    found = []
    for i, word in enumerate(words):
        for phrase in phrases.get(word, ()):
            if tuple(words[i : i + len(phrase)]) == phrase:
                found.append(i)
                break
    return found


class Generalizations:
    """Finds a named group within `window` words of a dehumanizing or menace word."""

    def __init__(self, groups: Sequence[str], predicates: Sequence[str], window: int = 12) -> None:
        self.groups = _by_first_word(_phrases(groups))
        self.predicates = _by_first_word(_phrases(predicates))
        self.window = window
        self._first = set(self.groups) | set(self.predicates)

    def count(self, words: Sequence[str]) -> int:
        """How many dehumanizing words stand near a named group."""
        if not self._first.intersection(words):
            return 0
        groups = _positions(words, self.groups)
        if not groups:
            return 0
        return sum(
            1
            for p in _positions(words, self.predicates)
            if any(abs(p - g) <= self.window for g in groups)
        )


# --- insults aimed at a person --------------------------------------------------

# Words before an insult that aim it at someone: "you idiot", "you're pathetic",
# "what a moron", "he is a clown", "absolute muppet".
_AIM_BEFORE_TEXT = """
you youre ur u ya yer yourself are is was be being am im hes shes theyre
what such an a total complete utter absolute bloody proper typical
"""
_AIM_BEFORE = frozenset(_AIM_BEFORE_TEXT.split())
_AIM_AFTER = frozenset({"you", "like", "ya", "u"})
_SECOND_PERSON = frozenset({"you", "youre", "ur", "u", "ya", "yer", "yourself"})
# Nouns after an adjective that make it about a person: "a spineless little man".
_PERSON_AFTER_TEXT = """
person man woman bloke guy lady individual creature specimen excuse councillor
mayor politician toad cow dummy git hypocrite coward
"""
_PERSON_AFTER = frozenset(_PERSON_AFTER_TEXT.split())


def aimed(words: Sequence[str], start: int, end: int) -> bool:
    """Whether an insulting noun at [start, end) names a person: "you idiot", "what a moron"."""
    before = words[max(0, start - 3) : start]
    return (
        bool(_SECOND_PERSON.intersection(before))
        or (bool(before) and before[-1] in _AIM_BEFORE)
        or bool(_AIM_AFTER.intersection(words[end : end + 1]))
    )


def aimed_at_you(words: Sequence[str], start: int, end: int) -> bool:
    """Whether an adjective speaks to the reader: "you're pathetic", "stupid like you".

    Stricter than `aimed`: "the plan is stupid" is criticism of an idea and stays;
    "a spineless little man" names a person.
    """
    before = words[max(0, start - 3) : start]
    after = words[end : end + 3]
    return bool(_SECOND_PERSON.intersection(before)) or bool(
        _SECOND_PERSON.intersection(after) or _PERSON_AFTER.intersection(after)
    )


def addresses_someone(words: Sequence[str]) -> bool:
    """Whether the text speaks to a 'you' at all."""
    return bool(_SECOND_PERSON.intersection(words))


# --- threats --------------------------------------------------------------------

_VIOLENT_TEXT = "slap punch smack stab shoot strangle batter kick hang burn hurt beat thump deck"
_VIOLENT = frozenset(_VIOLENT_TEXT.split())
_PERSON = frozenset({"you", "ya", "u", "him", "her"})
_THREAT_PATTERN = re.compile(r"\bknow(?:s)? where (?:\w+ ){0,3}lives?\b")


def violence_at_someone(words: Sequence[str]) -> bool:
    """'I'd slap you', 'I know where the mayor lives': a threat, whatever the words around it."""
    for i, word in enumerate(words[:-1]):
        if word in _VIOLENT and _PERSON.intersection(words[i + 1 : i + 3]):
            return True
    return bool(_THREAT_PATTERN.search(" ".join(words)))
