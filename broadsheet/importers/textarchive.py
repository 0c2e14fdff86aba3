"""Plain-text page archives, as web crawls leave them -> records.

The layout, line by line:

    The article's title
    <author>'s picture
    the article's paragraphs ...
    <name>'s picture                                  each comment starts here
    <name> (not verified) <Mon D, YYYY H:MM AM/PM>    a guest's comment only
    the comment's paragraphs ...

Registered commenters have no "(not verified)" line (a line `<name> <date>`
is read as their date if present). A comment that opens by quoting, in
straight or curly double quotes, a sentence or part of one from an earlier
comment answers the latest earlier comment containing it; otherwise it is
top-level. Comments without a date get the import time, in page order.

The page becomes a published article by its author, or, given a URL, the
discussion of that (external) page.
"""

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import BinaryIO

from broadsheet.core.errors import InvalidInput

from .records import ImportedArticle, ImportedComment, ImportedThread, ImportedUser, Record, Skipped

# A page archive is one page; anything this big is not one.
MAX_BYTES = 20 * 1024 * 1024
THREAD_KEY = "page"
# Apostrophes straight or curly (U+2019); "James' picture" as well as "James's picture".
_PICTURE = re.compile("^(?P<name>\\S.{0,99}?)(?:['\u2019]s|(?<=s)['\u2019]) picture$")
_DATE = r"(?P<date>[A-Z][a-z]{2}\.? \d{1,2}, \d{4},? \d{1,2}:\d{2} ?[AaPp]\.?[Mm]\.?)"
_GUEST = re.compile(rf"^(?P<name>.+?) \(not verified\)(?: {_DATE})?$")
_DATED = re.compile(rf"^(?P<name>.+?) {_DATE}$")
_OPENING_QUOTE = re.compile(r'^\s*["“„]')
_QUOTE_BODY = re.compile(r'^\s*["“„](?P<quote>[^"“”„]{3,}?)["”“]')
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "“": '"', "”": '"', "„": '"', "…": "..."})


@dataclass
class _Comment:
    name: str
    guest: bool
    date: datetime | None = None
    paragraphs: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def _decode(stream: BinaryIO) -> list[str]:
    raw = stream.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise InvalidInput(
            f"The text archive is over {MAX_BYTES // (1024 * 1024)} MB; one page never is.",
            code="too_large",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InvalidInput(
            f"The text archive is not valid UTF-8 (line {line}, byte {error.start + 1}). "
            "Nothing was imported.",
            code="invalid_utf8",
        ) from None
    if "\x00" in text:
        raise InvalidInput("The text archive contains NUL bytes: it is not text.", code="binary")
    return [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def _picture_name(line: str) -> str | None:
    match = _PICTURE.match(line)
    return match.group("name").strip() if match else None


def _parse_date(text: str, zone: tzinfo) -> datetime | None:
    cleaned = re.sub(r"\s+", " ", text.replace(".", "").replace(",", ", ")).replace(" ,", ",")
    cleaned = re.sub(r",\s*,", ",", cleaned).replace(", ", " ").upper()
    cleaned = re.sub(r"(\d)(AM|PM)$", r"\1 \2", cleaned)
    try:
        return datetime.strptime(cleaned.title(), "%b %d %Y %I:%M %p").replace(tzinfo=zone)
    except ValueError:
        return None


def _fold(text: str) -> str:
    """Text compared case-, quote-style- and spacing-blind."""
    return " ".join(text.translate(_FOLD).lower().split())


def quoted_opening(text: str) -> str | None:
    """The quoted passage a comment opens with, trimmed of ellipses, or None."""
    if not _OPENING_QUOTE.match(text):
        return None
    match = _QUOTE_BODY.match(text.translate({ord("…"): "..."}))
    if not match:
        return None
    quote = match.group("quote").strip().strip(".").strip()
    quote = quote.rstrip(",;:!?").strip()
    return quote if len(_fold(quote)) >= 3 else None


def parse(
    stream: BinaryIO,
    *,
    now: datetime,
    zone: tzinfo,
    url: str | None = None,
    published: datetime | None = None,
) -> Iterator[Record]:
    """The page's author, its article (or `url`'s thread), its commenters and comments."""
    lines = _decode(stream)
    content = [(n, line) for n, line in enumerate(lines, start=1) if line]
    if len(content) < 2:
        raise InvalidInput(
            'The text archive needs a title line and an "<author>\'s picture" line.',
            code="textarchive_invalid",
        )
    title = content[0][1]
    author = _picture_name(content[1][1])
    if author is None:
        raise InvalidInput(
            f'Line {content[1][0]} should name the author as "<author>\'s picture"; '
            f"it reads {content[1][1][:60]!r}.",
            code="textarchive_invalid",
        )
    body: list[str] = []
    comments: list[_Comment] = []
    rest = content[2:]
    index = 0
    while index < len(rest):
        _n, line = rest[index]
        name = _picture_name(line)
        if name is None:
            (comments[-1].paragraphs if comments else body).append(line)
            index += 1
            continue
        comment = _Comment(name=name, guest=False)
        following = rest[index + 1][1] if index + 1 < len(rest) else ""
        guest = _GUEST.match(following)
        dated = _DATED.match(following)
        if guest:
            comment.guest = True
            comment.date = _parse_date(guest.group("date") or "", zone)
            index += 1
        elif dated and dated.group("name") == name:
            comment.date = _parse_date(dated.group("date"), zone)
            index += 1
        comments.append(comment)
        index += 1

    author_key = f"text:{author}"
    yield ImportedUser(key=author_key, display_name=author, match_by_name=True)
    if url:
        yield ImportedThread(key=THREAD_KEY, url=url, title=title, ordered=True)
    else:
        yield ImportedThread(
            key=THREAD_KEY,
            url="",
            title=title,
            ordered=True,
            article=ImportedArticle(
                title=title,
                body="\n\n".join(body),
                author_key=author_key,
                published_at=published or now,
            ),
        )
    yield from _comments(comments, now=now)


def _comments(comments: list[_Comment], *, now: datetime) -> Iterator[Record]:
    keys: list[str] = []
    folded: list[str] = []
    seen: dict[str, int] = {}
    for position, comment in enumerate(comments):
        text = comment.text
        digest = hashlib.sha256(f"{comment.name}\n{text}".encode()).hexdigest()[:20]
        seen[digest] = seen.get(digest, 0) + 1
        key = digest if seen[digest] == 1 else f"{digest}-{seen[digest]}"
        keys.append(key)
        folded.append(_fold(text))
        if not text:
            yield Skipped(f"comment {position + 1} by {comment.name}", "it has no text")
            continue
        parent = None
        quote = quoted_opening(text)
        if quote:
            needle = _fold(quote)
            for earlier in range(position - 1, -1, -1):
                if needle in folded[earlier] and comments[earlier].text:
                    parent = keys[earlier]
                    break
        author_key = None
        if not comment.guest:
            author_key = f"text:{comment.name}"
            yield ImportedUser(key=author_key, display_name=comment.name, match_by_name=True)
        yield ImportedComment(
            key=key,
            thread_key=THREAD_KEY,
            parent_key=parent,
            body=text,
            # Undated comments keep the page's order: a microsecond apart.
            created_at=comment.date or now + timedelta(microseconds=position),
            author_key=author_key,
            guest_name=comment.name if comment.guest else "",
        )
