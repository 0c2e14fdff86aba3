"""The Disqus parser on its own: records out of a file, hostile XML refused."""

import io
from pathlib import Path

import pytest

from broadsheet.core.errors import InvalidInput
from broadsheet.importers import disqus
from broadsheet.importers.records import ImportedComment, ImportedThread, ImportedUser, Skipped

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


def parse(name: str) -> list:
    with (FIXTURES / name).open("rb") as stream:
        return list(disqus.parse(stream))


def test_threads_posts_and_people():
    records = parse("disqus.xml")
    threads = {r.key: r for r in records if isinstance(r, ImportedThread)}
    comments = {r.key: r for r in records if isinstance(r, ImportedComment)}
    users = {r.key for r in records if isinstance(r, ImportedUser)}

    assert set(threads) == {"1001", "1002", "1003"}
    assert threads["1001"].url == "https://blog.example.org/2019/harbour-plan/"
    assert threads["1002"].status == "closed"
    assert list(comments) == ["5003", "5001", "5002", "5004", "5005", "5101", "5102", "5999"]
    assert comments["5003"].parent_key == "5001"
    assert comments["5003"].guest_name == "Ben Okafor"
    assert comments["5003"].guest_email == "ben@example.net"
    assert comments["5003"].body == (
        "@Ada I disagree: the **ferry** is *cheaper*.\n\n"
        "See [the fares](https://example.org/fares)."
    )
    assert comments["5001"].author_key == "disqus:adalindqvist"
    assert comments["5001"].guest_email == ""  # a profile's address is never carried
    assert comments["5002"].status == "spam"
    assert comments["5004"].status == "deleted"
    assert "<script" not in comments["5005"].body and "alert" not in comments["5005"].body
    assert users == {"disqus:adalindqvist"}


def test_a_thread_without_link_is_skipped():
    xml = (
        b'<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">'
        b'<thread dsq:id="9"><title>No link</title></thread></disqus>'
    )

    assert list(disqus.parse(io.BytesIO(xml))) == [
        Skipped("thread 9", "it has no <link>, so no page to attach it to")
    ]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("disqus-billion-laughs.xml", "xml_dtd"),
        ("disqus-external-entity.xml", "xml_dtd"),
        ("disqus-external-dtd.xml", "xml_dtd"),
        ("disqus-truncated.xml", "xml_malformed"),
        ("disqus-invalid-utf8.xml", "xml_malformed"),
    ],
)
def test_hostile_files_are_refused(name: str, code: str):
    with pytest.raises(InvalidInput) as caught:
        parse(name)

    assert caught.value.code == code
    assert "Nothing was imported" in caught.value.message


def test_an_entity_declared_without_dtd_expansion_is_refused():
    xml = b'<!DOCTYPE d [<!ENTITY x "y">]><disqus>&x;</disqus>'

    with pytest.raises(InvalidInput, match="document type"):
        list(disqus.parse(io.BytesIO(xml)))


def test_another_xml_file_is_not_taken_for_disqus():
    with pytest.raises(InvalidInput, match="root element is <rss>, not <disqus>"):
        list(disqus.parse(io.BytesIO(b"<rss><channel/></rss>")))
