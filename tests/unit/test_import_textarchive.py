"""The plain-text page archive parser on its own."""

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from broadsheet.core.errors import InvalidInput
from broadsheet.importers import textarchive
from broadsheet.importers.records import ImportedComment, ImportedThread, ImportedUser, Skipped

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def parse_text(text: str, **options) -> list:
    return list(textarchive.parse(io.BytesIO(text.encode()), now=NOW, zone=UTC, **options))


def parse_fixture(**options) -> list:
    with (FIXTURES / "textarchive.txt").open("rb") as stream:
        return list(textarchive.parse(stream, now=NOW, zone=UTC, **options))


def test_title_author_and_article_body():
    records = parse_fixture()
    thread = next(r for r in records if isinstance(r, ImportedThread))

    assert thread.article is not None
    assert thread.article.title == "Council approves the harbour tram after a ten-year fight"
    assert thread.article.author_key == "text:Helen Achterberg"
    assert thread.article.published_at == NOW
    assert thread.article.body.startswith("The council voted 31 to 12")
    assert thread.article.body.endswith("should take three years.")
    assert '"long overdue"' in thread.article.body  # quoted passages stay in the article
    assert records[0] == ImportedUser(
        key="text:Helen Achterberg", display_name="Helen Achterberg", match_by_name=True
    )


def test_comments_guests_registered_dates_and_replies():
    comments = [r for r in parse_fixture() if isinstance(r, ImportedComment)]
    by_position = {n: c for n, c in enumerate(comments)}
    keys = [c.key for c in comments]

    assert [(c.author_key, c.guest_name) for c in comments] == [
        ("text:quietheron", ""),
        (None, "Olu from Quay Street"),
        ("text:Grace Whitfield", ""),
        (None, "Dana"),
        ("text:quietheron", ""),
        (None, "Lurker"),
    ]
    assert by_position[1].created_at == datetime(2024, 3, 5, 16, 7, tzinfo=UTC)
    assert by_position[1].body == (
        "Finally. The buses on Harbour Road are standing room only at eight.\n\n"
        "Still, three years of roadworks on my street."
    )
    # Undated comments: the import time, a microsecond apart in page order.
    assert by_position[0].created_at == NOW
    assert by_position[2].created_at == NOW + timedelta(microseconds=2)
    assert [c.parent_key for c in comments] == [None, None, keys[0], keys[1], keys[2], None]


def test_published_and_url_options():
    published = datetime(2024, 3, 5, 9, 0, tzinfo=UTC)
    article = next(r for r in parse_fixture(published=published) if isinstance(r, ImportedThread))
    external = next(
        r for r in parse_fixture(url="https://x.example/p/") if isinstance(r, ImportedThread)
    )

    assert article.article is not None and article.article.published_at == published
    assert external.article is None and external.url == "https://x.example/p/"
    assert external.title == "Council approves the harbour tram after a ten-year fight"


def test_keys_are_stable_between_runs():
    first = [r.key for r in parse_fixture() if isinstance(r, ImportedComment)]
    second = [r.key for r in parse_fixture() if isinstance(r, ImportedComment)]

    assert first == second and len(set(first)) == len(first)


@pytest.mark.parametrize(
    ("opening", "quote"),
    [
        ('"The line will be obsolete." Nonsense.', "The line will be obsolete"),
        ("“standing room only” — try seven.", "standing room only"),
        ('"...not obsolete..." They are.', "not obsolete"),
        ('"…not obsolete…" They are.', "not obsolete"),
        ("No quote here.", None),
        ('He said "this" later on.', None),
        ('"ok" fine', None),
    ],
)
def test_quoted_openings(opening: str, quote: str | None):
    assert textarchive.quoted_opening(opening) == quote


def test_a_quote_answers_the_latest_earlier_comment_containing_it():
    text = (
        "Title\nAuthor's picture\nBody.\n"
        "A's picture\nThe tram is late again.\n"
        "B's picture\nB (not verified) Jan 2, 2024 10:00 AM\n"
        "Yes, the tram is late again, as ever.\n"
        'C\'s picture\n"the tram is late" only on Mondays.\n'
    )
    comments = [r for r in parse_text(text) if isinstance(r, ImportedComment)]

    assert comments[2].parent_key == comments[1].key


def test_duplicate_comments_get_distinct_keys_and_empty_ones_are_skipped():
    text = "Title\nAuthor's picture\nBody.\nA's picture\nSame.\nA's picture\nSame.\nB's picture\n"
    records = parse_text(text)
    comments = [r for r in records if isinstance(r, ImportedComment)]

    assert len({c.key for c in comments}) == 2
    assert Skipped("comment 3 by B", "it has no text") in records


def test_names_with_apostrophes_and_curly_quotes():
    text = "Title\nJames’ picture\nBody.\nO'Neill's picture\nHello.\n"
    records = parse_text(text)

    assert records[0].display_name == "James"
    assert [r.author_key for r in records if isinstance(r, ImportedComment)] == ["text:O'Neill"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Only a title\n", "needs a title line"),
        (b"Title\nNot a picture line\n", "should name the author"),
        (b"Title\nA's picture\n\xff\xfe\n", "not valid UTF-8 (line 3"),
        (b"Title\nA's picture\nx\x00y\n", "NUL bytes"),
    ],
)
def test_refused(data: bytes, message: str):
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(")):
        list(textarchive.parse(io.BytesIO(data), now=NOW, zone=UTC))
