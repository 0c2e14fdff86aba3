"""Format detection from the first bytes, and the HTML-to-Markdown conversion of bodies."""

from pathlib import Path

import pytest

from broadsheet.core.errors import InvalidInput
from broadsheet.importers.detect import detect_format
from broadsheet.importers.htmltext import html_to_markdown

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        ((FIXTURES / "disqus.xml").read_bytes()[:4096], "disqus"),
        ((FIXTURES / "wordpress.xml").read_bytes()[:4096], "wordpress"),
        ((FIXTURES / "broadsheet.jsonl").read_bytes()[:4096], "jsonl"),
        ((FIXTURES / "textarchive.txt").read_bytes()[:4096], "textarchive"),
        (b"SQLite format 3\x00" + b"\x00" * 100, "isso"),
        (b"\xef\xbb\xbf  <?xml version='1.0'?><disqus>", "disqus"),
    ],
)
def test_detects(head: bytes, fmt: str):
    assert detect_format(head) == fmt


@pytest.mark.parametrize(
    ("head", "message"),
    [
        (b"<html><body></body></html>", "neither a Disqus export nor a WordPress"),
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
    ],
)
def test_refuses(head: bytes, message: str):
    with pytest.raises(InvalidInput, match=message):
        detect_format(head)


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<p>One</p><p>Two<br>three</p>", "One\n\nTwo\nthree"),
        ("<b>bold</b> <i>it</i> <code>x</code>", "**bold** *it* `x`"),
        ('<a href="https://e.org/a b">link</a>', "[link](https://e.org/a%20b)"),
        ('<a href="javascript:alert(1)">click</a>', "click"),
        ('<a href="https://e.org/">https://e.org/</a>', "https://e.org/"),
        ("<blockquote><p>quoted</p></blockquote><p>answer</p>", "> quoted\n\nanswer"),
        ("<ul><li>a</li><li>b</li></ul>", "- a\n- b"),
        ("<script>alert(1)</script>safe", "safe"),
        ("2 * 3 = 6 and [x]", "2 \\* 3 = 6 and \\[x\\]"),
        ("<p># not a heading</p>", "\\# not a heading"),
        ("Fish &amp; chips &lt;3", "Fish & chips <3"),
    ],
)
def test_html_to_markdown(html: str, markdown: str):
    assert html_to_markdown(html) == markdown
