"""Comment and article Markdown: the subset, raw HTML off, sanitized, links nofollow."""

from html.parser import HTMLParser

import pytest

from broadsheet.core.markup import quote_markdown, render_article, render_comment


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("*em* **strong**", "<p><em>em</em> <strong>strong</strong></p>"),
        ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
        ("`code`", "<p><code>code</code></p>"),
        ("- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
    ],
)
def test_comment_subset(source, expected):
    assert render_comment(source) == expected


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="https://e.com" onclick="x()">a</a>',
        "![img](https://e.com/x.png)",
    ],
)
def test_comment_hostile_input_is_inert(hostile):
    tags = TagCollector()
    tags.feed(render_comment(hostile))
    assert {tag for tag, _ in tags.seen} <= {"p", "a"}
    for _, attrs in tags.seen:
        assert set(attrs) <= {"href", "rel", "title"}
        assert not attrs.get("href", "https:").startswith(("javascript", "data"))


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.seen: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, dict(attrs)))


def test_comment_links_are_nofollow_ugc_noopener_and_bare_urls_linked():
    html = render_comment("see https://example.com/x")
    assert '<a href="https://example.com/x" rel="nofollow ugc noopener">' in html


def test_comment_headings_are_not_rendered():
    assert "<h1>" not in render_comment("# Shouting")


def test_article_allows_headings_and_images_but_not_scripts():
    html = render_article("## Sub\n\n![Harbour](https://e.com/h.jpg)\n\n<script>x</script>")
    assert "<h2>Sub</h2>" in html and '<img src="https://e.com/h.jpg" alt="Harbour">' in html
    assert "<script" not in html


def test_quote_markdown_attributes_and_quotes_every_line():
    assert quote_markdown("one\n\ntwo", author="Ana") == "**Ana** wrote:\n\n> one\n>\n> two\n\n"
