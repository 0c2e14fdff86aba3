"""The WordPress WXR parser on its own."""

from pathlib import Path

import pytest

from broadsheet.core.errors import InvalidInput
from broadsheet.importers import wordpress
from broadsheet.importers.records import ImportedComment, ImportedThread, ImportedUser, Skipped

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


def parse(name: str) -> list:
    with (FIXTURES / name).open("rb") as stream:
        return list(wordpress.parse(stream))


def test_items_with_comments_become_threads():
    records = parse("wordpress.xml")
    threads = [r for r in records if isinstance(r, ImportedThread)]

    assert [(t.key, t.url, t.status) for t in threads] == [
        ("12", "https://quaystreet.example/2020/01/market-moves/", None),
        ("20", "https://quaystreet.example/2020/02/bins/", "closed"),
    ]
    assert threads[0].title == "The market moves to the quay"


def test_comments_threading_statuses_and_people():
    records = parse("wordpress.xml")
    comments = {r.key: r for r in records if isinstance(r, ImportedComment)}

    assert {k: c.status for k, c in comments.items()} == {
        "31": "published", "33": "published", "34": "held", "35": "spam", "36": "deleted",
        "51": "published", "52": "published",
    }  # fmt: skip
    assert comments["33"].parent_key == "31" and comments["31"].parent_key is None
    assert comments["33"].author_key == "wordpress:1"
    assert ImportedUser(key="wordpress:1", display_name="The Editor") in records
    assert comments["31"].guest_email == "grace@example.net"
    # WordPress line breaks are text: kept as Markdown line and paragraph breaks.
    assert comments["31"].body.startswith(
        "Finally! The old car park was a waste.\nParking will be a problem though.\n\n**Second"
    )
    assert comments["36"].created_at.isoformat() == "2020-01-06T14:00:00+00:00"
    assert Skipped("comment 37 on post 12", "it is a pingback, not a comment") in records


@pytest.mark.parametrize("name", ["wordpress-billion-laughs.xml", "wordpress-truncated.xml"])
def test_hostile_files_are_refused(name: str):
    with pytest.raises(InvalidInput, match="Nothing was imported"):
        parse(name)


def test_xinclude_is_left_alone():
    comments = [r for r in parse("wordpress-xinclude.xml") if isinstance(r, ImportedComment)]

    assert [c.body for c in comments] == ["Included?"]
