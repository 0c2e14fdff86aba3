"""The staging database: a parsed archive on disk, in a temporary SQLite file.

Sources list comments in any order (Disqus: apart from their threads,
children before parents). Staging writes every record as it is read, keyed by
thread, so the loader can then take one thread at a time, whole, while memory
holds only that thread. Comments are stored with their e-mail and address
already reduced to keyed hashes: no raw address touches the disk.
"""

import json
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from .records import ImportedArticle, ImportedComment, ImportedThread, ImportedUser

BATCH = 5000


@dataclass(frozen=True)
class StagedComment:
    comment: ImportedComment  # guest_email and address emptied
    email_hash: str
    address_hash: str


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot stage {type(value).__name__}")


def _encode(data: dict[str, Any]) -> str:
    return json.dumps(data, default=_json_default, ensure_ascii=False, separators=(",", ":"))


def _times(data: dict[str, Any], *names: str) -> dict[str, Any]:
    for name in names:
        if data.get(name):
            data[name] = datetime.fromisoformat(data[name])
    return data


def _decode_thread(text: str) -> ImportedThread:
    data = _times(json.loads(text), "created_at")
    if data.get("article"):
        article = _times(data["article"], "published_at")
        article["tags"] = tuple(tuple(pair) for pair in article["tags"])
        data["article"] = ImportedArticle(**article)
    return ImportedThread(**data)


class Staging:
    """Opened as a context manager; the file is removed on the way out."""

    def __init__(self, directory: Path | None = None) -> None:
        self._directory = tempfile.TemporaryDirectory(prefix="broadsheet-import-", dir=directory)
        self.path = Path(self._directory.name) / "staging.sqlite3"
        self.db = sqlite3.connect(self.path)
        # A scratch file: no journal, no fsync, a bounded page cache.
        self.db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA cache_size = -16000;
            PRAGMA temp_store = FILE;
            CREATE TABLE users (key TEXT PRIMARY KEY, data TEXT NOT NULL);
            CREATE TABLE threads (seq INTEGER PRIMARY KEY, key TEXT UNIQUE, data TEXT NOT NULL);
            CREATE TABLE comments (
                seq INTEGER PRIMARY KEY, thread_key TEXT NOT NULL, key TEXT NOT NULL,
                data TEXT NOT NULL, UNIQUE (thread_key, key)
            );
            """
        )
        self._comments: list[tuple[str, str, str]] = []
        self._users: list[tuple[str, str]] = []
        self.comments_offered = 0
        self.comments_staged = 0
        self.threads_offered = 0
        self.threads_staged = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()
        self._directory.cleanup()

    # Writing

    def add_user(self, user: ImportedUser) -> None:
        self._users.append((user.key, _encode(asdict(user))))
        if len(self._users) >= BATCH:
            self._flush()

    def add_thread(self, thread: ImportedThread) -> None:
        self.threads_offered += 1
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO threads (key, data) VALUES (?, ?)",
            (thread.key, _encode(asdict(thread))),
        )
        self.threads_staged += cursor.rowcount

    def add_comment(self, comment: ImportedComment, *, email_hash: str, address_hash: str) -> None:
        data = asdict(replace(comment, guest_email="", address=""))
        data["email_hash"] = email_hash
        data["address_hash"] = address_hash
        self._comments.append((comment.thread_key, comment.key, _encode(data)))
        self.comments_offered += 1
        if len(self._comments) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._users:
            self.db.executemany(
                "INSERT OR IGNORE INTO users (key, data) VALUES (?, ?)", self._users
            )
            self._users.clear()
        if self._comments:
            cursor = self.db.executemany(
                "INSERT OR IGNORE INTO comments (thread_key, key, data) VALUES (?, ?, ?)",
                self._comments,
            )
            self.comments_staged += cursor.rowcount
            self._comments.clear()

    def finish(self) -> None:
        """Ends the writing: flushes, and indexes comments for the per-thread reads."""
        self._flush()
        self.db.execute("CREATE INDEX comments_by_thread ON comments (thread_key, seq)")
        self.db.commit()

    # Reading

    def thread_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM threads").fetchone()[0]

    def threads(self) -> Iterator[ImportedThread]:
        """Threads in the order the source listed them, read a batch at a time."""
        last = 0
        while True:
            rows = self.db.execute(
                "SELECT seq, data FROM threads WHERE seq > ? ORDER BY seq LIMIT 500", (last,)
            ).fetchall()
            if not rows:
                return
            for seq, data in rows:
                last = seq
                yield _decode_thread(data)

    def comments(self, thread_key: str) -> list[StagedComment]:
        staged = []
        for (text,) in self.db.execute(
            "SELECT data FROM comments WHERE thread_key = ? ORDER BY seq", (thread_key,)
        ):
            data = _times(json.loads(text), "created_at", "edited_at")
            email_hash = data.pop("email_hash")
            address_hash = data.pop("address_hash")
            staged.append(StagedComment(ImportedComment(**data), email_hash, address_hash))
        return staged

    def users(self, keys: Iterable[str]) -> dict[str, ImportedUser]:
        found: dict[str, ImportedUser] = {}
        keys = list(keys)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for (text,) in self.db.execute(
                f"SELECT data FROM users WHERE key IN ({marks})",  # noqa: S608
                chunk,
            ):
                user = ImportedUser(**_times(json.loads(text), "date_joined"))
                found[user.key] = user
        return found

    def stray_comments(self) -> list[tuple[str, int]]:
        """(thread key, count) of comments whose thread is not in the archive."""
        return self.db.execute(
            "SELECT thread_key, count(*) FROM comments "
            "WHERE thread_key NOT IN (SELECT key FROM threads) GROUP BY thread_key ORDER BY 1"
        ).fetchall()
