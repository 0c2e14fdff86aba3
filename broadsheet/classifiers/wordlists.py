"""Banned and suspect term lists matched on word boundaries after folding.

Lists are data: moderators will edit them (stored by the moderation app); this
module only compiles and matches them. A term is a word or a phrase as a person
types it; both the term and the comment are folded by `normalize.tokens`, so
"F.U.C.K", "fuuuck" and "f*ck" meet "fuck", while "Scunthorpe", "classic" and
"assess" never meet "ass": matching is per whole word, never inside one.

Spelling rules of a term:
- ``word*`` matches the word and any longer word it starts ("fuck*": "fucking").
- a plural "s"/"es" is matched without listing it ("idiot" matches "idiots").
- a stretched word matches ("idiooot"), a shorter one never ("as" is not "ass").
- a comment word written with ``*`` for letters ("f*ck", "sh**") matches a
  one-word term of the same length whose other letters agree.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from .normalize import squeeze, tokens


class Level(StrEnum):
    BANNED = "banned"  # rejected outright
    SUSPECT = "suspect"  # adds to a category's score; may hold


class Category(StrEnum):
    ABUSE = "abuse"
    HATE = "hate"
    PROFANITY = "profanity"
    SPAM = "spam"
    OFF_TOPIC = "off_topic"


@dataclass(frozen=True)
class Term:
    text: str
    category: Category
    level: Level = Level.SUSPECT
    # How much one occurrence adds to the category score (0..1).
    weight: float = 0.6
    # Counts only when aimed at someone ("you stupid ..."), not at an idea ("a stupid plan").
    aimed: bool = False


@dataclass(frozen=True)
class Match:
    term: Term
    start: int  # index of the first matched token
    end: int  # one past the last


@dataclass(frozen=True)
class _Compiled:
    term: Term
    keys: tuple[str, ...]  # squeezed tokens
    words: tuple[str, ...]  # folded tokens


def _word_matches(token: str, word: str, key: str) -> bool:
    """Whole-word equality up to stretching, with the plural rule."""
    candidates = [token]
    if token.endswith("s"):
        candidates.append(token[:-1])
        if token.endswith("es"):
            candidates.append(token[:-2])
    # Equal, or stretched ("idiooot"), but never shortened ("as" is not "ass").
    return any(c == word or (len(c) > len(word) and squeeze(c) == key) for c in candidates if c)


class TermList:
    """A compiled list; `find(text)` returns every match in reading order."""

    def __init__(self, terms: Iterable[Term], *, exceptions: Iterable[str] = ()) -> None:
        # Whole words never matched by prefix terms ("shiitake", "cocktail").
        self.exceptions = frozenset(" ".join(tokens(e)) for e in exceptions)
        self.terms: tuple[Term, ...] = tuple(terms)
        self._by_key: dict[str, list[_Compiled]] = {}
        # Prefix terms by the length of their key, then the key: a token's squeezed form
        # cut to each length finds its candidates without trying every prefix term.
        self._prefixed: dict[int, dict[str, list[tuple[int, _Compiled]]]] = {}
        self._masked: dict[int, list[_Compiled]] = {}
        for order, term in enumerate(self.terms):
            raw = term.text.strip()
            prefix = raw.endswith("*")
            words = tokens(raw.rstrip("*"))
            if not words:
                continue
            compiled = _Compiled(term, tuple(squeeze(w) for w in words), words)
            if prefix and len(words) == 1:
                by_key = self._prefixed.setdefault(len(compiled.keys[0]), {})
                by_key.setdefault(compiled.keys[0], []).append((order, compiled))
            else:
                self._by_key.setdefault(compiled.keys[0], []).append(compiled)
            if len(words) == 1:
                self._masked.setdefault(len(words[0]), []).append(compiled)

    def __len__(self) -> int:
        return len(self.terms)

    def find(self, text: str) -> list[Match]:
        return self.find_in_tokens(tokens(text))

    def find_in_tokens(self, words: Sequence[str]) -> list[Match]:
        found: list[Match] = []
        for i, token in enumerate(words):
            if "*" in token:
                found.extend(self._find_masked(token, i))
                continue
            key = squeeze(token)
            keys = {key}
            if token.endswith("s"):
                keys.add(squeeze(token[:-1]))
                if token.endswith("es"):
                    keys.add(squeeze(token[:-2]))
            candidates = [c for k in keys for c in self._by_key.get(k, ())]
            for compiled in candidates:
                n = len(compiled.words)
                if i + n > len(words):
                    continue
                if all(
                    _word_matches(words[i + k], compiled.words[k], compiled.keys[k])
                    for k in range(n)
                ):
                    found.append(Match(compiled.term, i, i + n))
            if token not in self.exceptions:
                found.extend(Match(c.term, i, i + 1) for c in self._prefix_matches(token, key))
        return found

    def _prefix_matches(self, token: str, key: str) -> list[_Compiled]:
        """The prefix terms this token starts with (key: its squeezed form), in list order."""
        hits = [
            (order, compiled)
            for length, by_key in self._prefixed.items()
            for order, compiled in by_key.get(key[:length], ())
            if len(token) >= len(compiled.words[0])
        ]
        return [compiled for _, compiled in sorted(hits, key=lambda hit: hit[0])]

    def _find_masked(self, token: str, i: int) -> list[Match]:
        """ "f*ck" against one-word terms of its length; at least two letters must show."""
        if sum(ch.isalpha() for ch in token) < 2:
            return []
        pattern = re.compile(re.escape(token).replace(r"\*", "[a-z]"))
        # One reading per category: "f**k" is one swear word, not "fuck" and "fvck".
        found: dict[Category, Match] = {}
        for compiled in self._masked.get(len(token), []):
            if compiled.term.category not in found and pattern.fullmatch(compiled.words[0]):
                found[compiled.term.category] = Match(compiled.term, i, i + 1)
        return list(found.values())
