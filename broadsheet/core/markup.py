"""Markdown to safe HTML. Rendered once on write; pages show the stored result.

Two profiles: readers' comments get a small subset (emphasis, links, block
quotes, code, lists); editors' article bodies add headings and images. Both
have raw HTML off in the parser and are sanitized again by nh3 afterwards, so a
parser bug cannot become stored XSS.
"""

from functools import cache

import nh3
from markdown_it import MarkdownIt

_COMMENT_TAGS = {"p", "br", "em", "strong", "a", "blockquote", "code", "pre", "ul", "ol", "li"}
_ARTICLE_TAGS = _COMMENT_TAGS | {
    "h2", "h3", "h4", "img", "hr", "figure", "figcaption", "del", "s",
}  # fmt: skip
_LINK_REL = "nofollow ugc noopener"


@cache
def _comment_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": True})
    md.enable(["linkify"])
    md.disable(["heading", "lheading", "image", "hr", "html_block", "html_inline", "table"], True)
    return md


@cache
def _article_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": True})
    md.enable(["linkify", "replacements", "smartquotes", "strikethrough"])
    return md


def render_comment(source: str) -> str:
    html = _comment_parser().render(source)
    return nh3.clean(
        html,
        tags=_COMMENT_TAGS,
        attributes={"a": {"href", "title"}, "ol": {"start"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=_LINK_REL,
    ).strip()


def render_article(source: str) -> str:
    html = _article_parser().render(source)
    return nh3.clean(
        html,
        tags=_ARTICLE_TAGS,
        attributes={"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=_LINK_REL,
    ).strip()


def quote_markdown(source: str, *, author: str) -> str:
    """A Markdown block quote of a comment, attributed, ready to answer below."""
    quoted = "\n".join(f"> {line}" if line else ">" for line in source.strip().splitlines())
    return f"**{author}** wrote:\n\n{quoted}\n\n"
