"""Text folded for matching: what a reader reads, not what was typed.

Abusers dodge word lists with case, accents, look-alike letters (a Cyrillic "i"
in "idiot"), digits and symbols ("1d10t", "$hit"), spacing ("i d i o t",
"f.u.c.k") and stretched letters ("stuuupid"). `tokens` undoes those tricks but
keeps word boundaries, so "classic" stays one word and never contains "ass".
The same folding is applied to the term lists, so both sides meet in the middle.
"""

import re
import unicodedata
from functools import lru_cache

from broadsheet.core.lookalikes import latin_lookalike

# Digits and symbols that stand in for letters inside a word. "1" is taken as "i"
# ("1d10t"); "k1ll" thus reads "kiil" and is missed: lists may add that spelling.
_SUBSTITUTIONS = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "!": "i",
        "|": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "$": "s",
        "@": "a",
        "€": "e",
    }
)
# A run of word characters plus the symbols above (and "*" for masked letters).
# Apostrophes inside a word are dropped first, so "you're" is one token "youre".
_RAW_TOKEN = re.compile(r"[\w$@!|€*]+")
_APOSTROPHE = re.compile(r"(?<=\w)['\u2019`](?=\w)")
# "10pm", "2nd", "3am", "40s": a number with a unit, not a disguised word.
_NUMBER_WITH_UNIT = re.compile(r"\d+[a-z]{0,3}|[a-z]?\d+|\d+(?:[.,]\d+)*")
# Masked letters are not stretched: "f***" keeps its length.
_STRETCH = re.compile(r"([^*])\1{2,}")
_SQUEEZE = re.compile(r"(.)\1+")


def fold_characters(text: str) -> str:
    """NFKC, casefold, accents stripped, look-alikes mapped to Latin letters."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return "".join(ch if ch.isascii() else latin_lookalike(ch, letters_only=True) for ch in text)


def _clean_token(raw: str) -> str:
    """Maps substitutions inside a word; leaves plain numbers and trailing '!!!' alone."""
    stripped = raw.strip("!|_")
    if stripped.startswith("*") and stripped.endswith("*"):
        stripped = stripped.strip("*")  # Markdown emphasis, not a masked letter
    if not stripped:
        return ""
    if stripped.isalpha() or _NUMBER_WITH_UNIT.fullmatch(stripped):
        token = stripped
    elif not any(ch.isalpha() for ch in stripped):
        token = stripped  # "$500", "2024": no letters to disguise
    else:
        token = stripped.translate(_SUBSTITUTIONS)
    token = token.replace("_", "")
    return _STRETCH.sub(r"\1\1", token)


# Words that begin with "a" or "i" when spelled out; any other run that does
# begins with the article or pronoun: "a f u c k i n g joke" is "a fucking joke".
_SPELLED_FROM_A_OR_I = ("ass", "arse", "idiot", "imbecile", "ignorant", "asshole")


_WIDE_GAP = re.compile(r"[ \t]{2,}|\s*\n\s*")


def _join_run(run: list[str]) -> list[str]:
    if len(run) < 3:
        return run
    word = "".join(run)
    if len(run) >= 5 and run[0] in "ai" and not word.startswith(_SPELLED_FROM_A_OR_I):
        return [run[0], word[1:]]
    return [word]


def _join_spelled_out(tokens: list[str]) -> list[str]:
    """Joins runs of three or more one-letter tokens: "i d i o t" -> "idiot"."""
    out: list[str] = []
    run: list[str] = []
    for token in tokens:
        if len(token) == 1 and token.isalpha():
            run.append(token)
            continue
        out.extend(_join_run(run))
        run = []
        out.append(token)
    out.extend(_join_run(run))
    return out


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[str, ...]:
    """The folded words of a text, in order (cached: each check asks for them)."""
    folded = _APOSTROPHE.sub("", fold_characters(text))
    out: list[str] = []
    # A wider gap ends a spelled-out word: "F U C K  Y O U" is two words.
    for part in _WIDE_GAP.split(folded):
        cleaned = [t for raw in _RAW_TOKEN.findall(part) if (t := _clean_token(raw))]
        out.extend(_join_spelled_out(cleaned))
    return tuple(out)


def normalize(text: str) -> str:
    """The folded words joined by single spaces: the form every matcher compares."""
    return " ".join(tokens(text))


@lru_cache(maxsize=65536)  # words recur; every term list asks for every word's key
def squeeze(word: str) -> str:
    """Every run of a letter cut to one ("fuuuck" -> "fuck", "ass" -> "as"): a match key."""
    return _SQUEEZE.sub(r"\1", word)
