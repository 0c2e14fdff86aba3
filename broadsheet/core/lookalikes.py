"""Characters that imitate Latin letters (Cyrillic and Greek look-alikes, fullwidth forms)."""

from functools import cache

from confusable_homoglyphs.confusables import confusables_data


@cache
def latin_lookalike(ch: str, *, letters_only: bool = False) -> str:
    """The lower-case ASCII letter (or digit) `ch` imitates, or `ch` itself."""
    for glyph in confusables_data.get(ch, ()):
        candidate = glyph["c"]
        if not candidate.isascii():
            continue
        if candidate.isalpha() or (candidate.isdigit() and not letters_only):
            return candidate.lower()
    return ch
