"""Isso's SQLite database -> records.

Isso keeps `threads(id, uri, title)` and `comments(tid, id, parent, created,
mode, author, email, website, text, ...)`; `mode` is 1 (published), 2 (in
the moderation queue) or 4 (deleted, kept because replies hang under it).
Text is the commenter's Markdown, as ours is. Isso knows pages by path
(`/2019/hello/`); a base URL turns them into the full addresses our threads
are keyed by. The database is opened read-only and read with a cursor.
"""

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

from broadsheet.core.errors import InvalidInput

from .records import ImportedComment, ImportedThread, Record, Skipped
from .timestamps import from_unix

_MODES = {1: "published", 2: "held", 4: "deleted"}
_REQUIRED = {"tid", "id", "parent", "created", "mode", "text", "author", "email"}
_OPTIONAL = ("modified", "remote_addr", "likes", "dislikes")


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def _open(path: Path) -> sqlite3.Connection:
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as error:
        raise InvalidInput(
            f"This is not an Isso database: SQLite cannot read it ({error}).", code="wrong_format"
        ) from None
    missing = {"threads", "comments"} - tables
    if missing or not _columns(db, "comments") >= _REQUIRED:
        db.close()
        raise InvalidInput(
            "This SQLite database is not Isso's: it lacks the threads and comments tables "
            "with Isso's columns.",
            code="wrong_format",
        )
    return db


def parse(path: Path, *, base_url: str | None = None) -> Iterator[Record]:
    """Threads, then comments thread by thread; `base_url` resolves Isso's page paths."""
    db = _open(path)
    try:
        yield from _threads(db, base_url)
        yield from _comments(db)
    except sqlite3.DatabaseError as error:
        raise InvalidInput(f"The Isso database is damaged: {error}.", code="corrupt") from None
    finally:
        db.close()


def _threads(db: sqlite3.Connection, base_url: str | None) -> Iterator[Record]:
    for tid, uri, title in db.execute("SELECT id, uri, title FROM threads ORDER BY id"):
        uri = (uri or "").strip()
        if not uri:
            yield Skipped(f"thread {tid}", "it has no URI")
            continue
        url = urljoin(base_url, uri) if base_url else uri
        yield ImportedThread(key=str(tid), url=url, title=title or "")


def _comments(db: sqlite3.Connection) -> Iterator[Record]:
    present = _columns(db, "comments")
    optional = [f"{name}" if name in present else "NULL" for name in _OPTIONAL]
    query = (
        "SELECT tid, id, parent, created, mode, text, author, email, "  # noqa: S608
        f"{', '.join(optional)} FROM comments ORDER BY tid, id"
    )
    for row in db.execute(query):
        tid, cid, parent, created, mode, text, author, email = row[:8]
        modified, address, likes, dislikes = row[8:]
        status = _MODES.get(mode)
        if status is None:
            yield Skipped(f"comment {cid}", f"unknown Isso mode {mode!r}")
            continue
        yield ImportedComment(
            key=str(cid),
            thread_key=str(tid),
            parent_key=str(parent) if parent is not None else None,
            body=text or "",
            created_at=from_unix(created) if created is not None else None,
            edited_at=from_unix(modified) if modified else None,
            guest_name=author or "",
            guest_email=email or "",
            address=address or "",
            status=status,
            upvotes=max(0, int(likes or 0)),
            downvotes=max(0, int(dislikes or 0)),
        )
