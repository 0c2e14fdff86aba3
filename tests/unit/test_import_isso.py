"""The Isso parser on its own, over a database built from the SQL fixture."""

import sqlite3
from pathlib import Path

import pytest

from broadsheet.core.errors import InvalidInput
from broadsheet.importers import isso
from broadsheet.importers.records import ImportedComment, ImportedThread

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


@pytest.fixture
def isso_db(tmp_path: Path) -> Path:
    path = tmp_path / "isso.db"
    db = sqlite3.connect(path)
    db.executescript((FIXTURES / "isso.sql").read_text())
    db.close()
    return path


def test_threads_keep_paths_or_join_a_base_url(isso_db: Path):
    plain = [r.url for r in isso.parse(isso_db) if isinstance(r, ImportedThread)]
    based = [
        r.url
        for r in isso.parse(isso_db, base_url="https://blog.example.org/")
        if isinstance(r, ImportedThread)
    ]

    assert plain == ["/2021/03/lighthouse/", "/2021/04/allotments/"]
    assert based == [
        "https://blog.example.org/2021/03/lighthouse/",
        "https://blog.example.org/2021/04/allotments/",
    ]


def test_comments_modes_parents_votes(isso_db: Path):
    comments = {r.key: r for r in isso.parse(isso_db) if isinstance(r, ImportedComment)}

    assert {k: c.status for k, c in comments.items()} == {
        "1": "published", "2": "published", "3": "held", "4": "deleted", "5": "published",
        "6": "published", "7": "published",
    }  # fmt: skip
    assert comments["2"].parent_key == "1" and comments["1"].parent_key is None
    assert (comments["2"].upvotes, comments["2"].downvotes) == (1, 2)
    assert comments["2"].edited_at is not None
    assert comments["1"].body == "Restore it, *obviously*. It is the town's symbol."
    assert comments["1"].guest_email == "priya@example.net"
    assert comments["1"].created_at.isoformat() == "2021-03-06T03:06:40.500000+00:00"


def test_an_unknown_mode_is_skipped(isso_db: Path):
    db = sqlite3.connect(isso_db)
    db.execute("UPDATE comments SET mode = 8 WHERE id = 6")
    db.commit()
    db.close()

    skipped = [
        r for r in isso.parse(isso_db) if not isinstance(r, ImportedComment | ImportedThread)
    ]

    assert [(s.item, s.reason) for s in skipped] == [("comment 6", "unknown Isso mode 8")]


def test_other_files_are_refused(tmp_path: Path):
    text = tmp_path / "text.db"
    text.write_text("not a database at all, just words " * 100)
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()

    with pytest.raises(InvalidInput, match="not an Isso database"):
        list(isso.parse(text))
    with pytest.raises(InvalidInput, match="not Isso's"):
        list(isso.parse(empty))


def test_invalid_utf8_in_a_comment_is_refused(isso_db: Path):
    db = sqlite3.connect(isso_db)
    db.execute("UPDATE comments SET text = CAST(x'fffe41' AS TEXT) WHERE id = 1")
    db.commit()
    db.close()

    with pytest.raises(InvalidInput, match="damaged"):
        list(isso.parse(isso_db))
