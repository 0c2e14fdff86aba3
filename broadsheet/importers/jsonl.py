"""Broadsheet's own JSON Lines export (version 1) -> records.

One object per line: meta first, then users, tags, threads, articles and
comments, each comment after its parent. Threads are held back until the end
(they are few next to comments) because an article, which comes after its
thread, decides where the thread lives. Any line that breaks the format stops
the import with its line number: the file is one site's data, and a half
understood file must not become half a site.
"""

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any, BinaryIO

from broadsheet.core.errors import InvalidInput

from .records import (
    ImportedArticle,
    ImportedComment,
    ImportedThread,
    ImportedUser,
    Record,
    Skipped,
)
from .timestamps import parse_timestamp

FORMAT = "broadsheet-jsonl"
VERSION = 1
_COMMENT_STATUSES = {"published", "held", "rejected", "spam", "deleted"}
_THREAD_STATUSES = {"open", "closed", "hidden"}
_ARTICLE_STATUSES = {"draft", "published"}


class _Line:
    """One parsed line, with typed getters that name the line when a value is wrong."""

    def __init__(self, number: int, data: dict[str, Any]) -> None:
        self.number = number
        self.data = data

    def fail(self, message: str) -> InvalidInput:
        return InvalidInput(
            f"Line {self.number}: {message}. Nothing was imported.", code="jsonl_invalid"
        )

    def get(self, name: str, kind: type | tuple[type, ...], *, optional: bool = False) -> Any:
        if name not in self.data or self.data[name] is None:
            if optional:
                return None
            raise self.fail(f"the {self.data.get('type')} record has no {name!r}")
        value = self.data[name]
        # bool is an int in Python; an id of `true` is still wrong.
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _kinds(kind)):
            raise self.fail(f"{name!r} has the wrong type ({type(value).__name__})")
        return value

    def text(self, name: str, *, default: str | None = None) -> str:
        value = self.get(name, str, optional=default is not None)
        return default if value is None else value

    def id(self, name: str, *, optional: bool = False) -> str | None:
        value = self.get(name, int, optional=optional)
        return None if value is None else str(value)

    def time(self, name: str, *, optional: bool = False) -> datetime | None:
        value = self.get(name, str, optional=optional)
        if value is None:
            return None
        parsed = parse_timestamp(value)
        if parsed is None:
            raise self.fail(f"{name!r} is not an ISO 8601 time: {value[:40]!r}")
        return parsed

    def choice(self, name: str, allowed: set[str]) -> str:
        value = self.text(name)
        if value not in allowed:
            raise self.fail(f"{name!r} is {value[:20]!r}, not one of {', '.join(sorted(allowed))}")
        return value


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _lines(stream: BinaryIO) -> Iterator[_Line]:
    for number, raw in enumerate(stream, start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidInput(
                f"Line {number} is not valid UTF-8 (byte {error.start + 1}). Nothing was imported.",
                code="invalid_utf8",
            ) from None
        if not text.strip():
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise InvalidInput(
                f"Line {number} is not valid JSON ({error.msg}, column {error.colno}); "
                "the file may be truncated. Nothing was imported.",
                code="jsonl_invalid",
            ) from None
        if not isinstance(data, dict):
            raise InvalidInput(
                f"Line {number} is not a JSON object. Nothing was imported.", code="jsonl_invalid"
            )
        yield _Line(number, data)


def _check_meta(line: _Line) -> None:
    if line.data.get("type") != "meta" or line.data.get("format") != FORMAT:
        raise InvalidInput(
            "This is not a Broadsheet JSON Lines export: the first line must be its "
            f'{{"type": "meta", "format": "{FORMAT}", ...}} record.',
            code="wrong_format",
        )
    if line.data.get("version") != VERSION:
        raise InvalidInput(
            f"This export is version {line.data.get('version')!r}; "
            f"this Broadsheet reads version {VERSION}.",
            code="unsupported_version",
        )


def user_key(user_id: str) -> str:
    return f"user:{user_id}"


def parse(stream: BinaryIO) -> Iterator[Record]:
    """Users and comments as read, threads (with their articles) at the end."""
    threads: dict[str, ImportedThread] = {}
    tags: dict[str, str] = {}
    seen_meta = False
    for line in _lines(stream):
        if not seen_meta:
            _check_meta(line)
            seen_meta = True
            continue
        kind = line.data.get("type")
        if kind == "user":
            yield _user(line)
        elif kind == "tag":
            tags[line.text("slug")] = line.text("name")
        elif kind == "thread":
            threads[line.id("id") or ""] = _thread(line)
        elif kind == "article":
            thread_id = line.id("thread") or ""
            if thread_id not in threads:
                raise line.fail(f"the article's thread {thread_id} is not listed before it")
            threads[thread_id] = _with_article(threads[thread_id], line, tags)
        elif kind == "comment":
            yield _comment(line)
        elif kind == "meta":
            raise line.fail("a second meta record; were two exports joined?")
        else:
            yield Skipped(f"line {line.number}", f"unknown record type {kind!r}")
    if not seen_meta:
        raise InvalidInput("The file is empty.", code="empty")
    yield from threads.values()


def _user(line: _Line) -> ImportedUser:
    return ImportedUser(
        key=user_key(line.id("id") or ""),
        display_name=line.text("display_name"),
        email=line.text("email", default=""),
        bio=line.text("bio", default=""),
        date_joined=line.time("date_joined", optional=True),
    )


def _thread(line: _Line) -> ImportedThread:
    return ImportedThread(
        key=line.id("id") or "",
        url=line.text("key"),
        title=line.text("title", default=""),
        status=line.choice("status", _THREAD_STATUSES),
        premoderated=bool(line.get("premoderated", bool, optional=True)),
        created_at=line.time("created_at", optional=True),
    )


def _with_article(thread: ImportedThread, line: _Line, tags: dict[str, str]) -> ImportedThread:
    tag_slugs = line.get("tags", list, optional=True) or []
    if not all(isinstance(slug, str) for slug in tag_slugs):
        raise line.fail("'tags' must be a list of tag slugs")
    article = ImportedArticle(
        title=line.text("title"),
        body=line.text("body"),
        author_key=user_key(line.id("author") or ""),
        slug=line.text("slug"),
        dek=line.text("dek", default=""),
        status=line.choice("status", _ARTICLE_STATUSES),
        published_at=line.time("published_at", optional=True),
        tags=tuple((slug, tags.get(slug, slug)) for slug in tag_slugs),
        image_url=line.text("image_url", default=""),
    )
    return replace(thread, article=article)


def _comment(line: _Line) -> ImportedComment:
    author = line.id("author", optional=True)
    votes = [line.get(name, int, optional=True) or 0 for name in ("upvotes", "downvotes")]
    return ImportedComment(
        key=line.id("id") or "",
        thread_key=line.id("thread") or "",
        parent_key=line.id("parent", optional=True),
        body=line.text("body"),
        created_at=line.time("created_at"),
        edited_at=line.time("edited_at", optional=True),
        author_key=user_key(author) if author else None,
        guest_name=line.text("guest_name", default=""),
        status=line.choice("status", _COMMENT_STATUSES),
        upvotes=max(0, votes[0]),
        downvotes=max(0, votes[1]),
    )
