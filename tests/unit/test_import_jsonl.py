"""The Broadsheet JSON Lines parser on its own."""

import io
import json
from pathlib import Path

import pytest

from broadsheet.core.errors import InvalidInput
from broadsheet.importers import jsonl
from broadsheet.importers.records import ImportedComment, ImportedThread, ImportedUser, Skipped

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
META = {"type": "meta", "format": "broadsheet-jsonl", "version": 1, "exported_at": "2024-01-01"}


def parse_lines(*objects: dict) -> list:
    data = "\n".join(json.dumps(o) for o in (META, *objects)).encode()
    return list(jsonl.parse(io.BytesIO(data)))


def test_the_fixture():
    with (FIXTURES / "broadsheet.jsonl").open("rb") as stream:
        records = list(jsonl.parse(stream))
    users = {r.key: r for r in records if isinstance(r, ImportedUser)}
    threads = {r.key: r for r in records if isinstance(r, ImportedThread)}
    comments = {r.key: r for r in records if isinstance(r, ImportedComment)}

    assert users["user:1"].email == "helen@newsroom.example"
    assert users["user:7"].email == ""
    article = threads["10"].article
    assert article is not None and article.slug == "tram-line-approved"
    assert article.author_key == "user:1"
    assert article.tags == (("transport", "Transport"), ("city-hall", "City hall"))
    assert threads["11"].article is None and threads["11"].premoderated
    assert comments["101"].parent_key == "100" and comments["100"].parent_key is None
    assert comments["100"].author_key == "user:7" and comments["101"].author_key is None
    assert comments["102"].status == "rejected"
    assert comments["100"].edited_at is not None and comments["101"].edited_at is None
    assert (comments["100"].upvotes, comments["100"].downvotes) == (5, 1)


def test_unknown_record_types_are_skipped_not_fatal():
    assert parse_lines({"type": "flag", "id": 1}) == [
        Skipped("line 2", "unknown record type 'flag'")
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"type": "comment", "id": "7"}, "Line 2: 'id' has the wrong type (str)"),
        ({"type": "comment", "id": True}, "Line 2: 'id' has the wrong type (bool)"),
        ({"type": "user", "id": 1}, "Line 2: the user record has no 'display_name'"),
        (
            {"type": "thread", "id": 1, "key": "k", "status": "open", "created_at": "yesterday"},
            "Line 2: 'created_at' is not an ISO 8601 time",
        ),
        (
            {"type": "article", "id": 1, "thread": 5, "title": "T"},
            "Line 2: the article's thread 5 is not listed before it",
        ),
        (META, "Line 2: a second meta record"),
    ],
)
def test_malformed_records_stop_the_import_with_their_line(line: dict, message: str):
    with pytest.raises(InvalidInput) as caught:
        parse_lines(line)

    assert caught.value.message.startswith(message)


def test_not_an_export():
    with pytest.raises(InvalidInput, match="not a Broadsheet JSON Lines export"):
        list(jsonl.parse(io.BytesIO(b'{"type": "comment"}\n')))
    with pytest.raises(InvalidInput, match="not valid JSON"):
        list(jsonl.parse(io.BytesIO(b"[1, 2\n")))
    with pytest.raises(InvalidInput, match="empty"):
        list(jsonl.parse(io.BytesIO(b"\n\n")))


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("broadsheet-truncated.jsonl", "Line 8 is not valid JSON"),
        ("broadsheet-invalid-utf8.jsonl", "Line 9 is not valid UTF-8"),
        ("broadsheet-version2.jsonl", "This export is version 2"),
        ("broadsheet-bad-status.jsonl", "Line 11: 'status' is 'burned'"),
    ],
)
def test_broken_fixtures(name: str, message: str):
    with (FIXTURES / name).open("rb") as stream, pytest.raises(InvalidInput) as caught:
        list(jsonl.parse(stream))

    assert caught.value.message.startswith(message)
