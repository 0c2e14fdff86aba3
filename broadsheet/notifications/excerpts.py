"""Comment text as it may appear in a notification: plain words, nothing clickable.

Mail clients turn anything that looks like an address into a link, in plain
text as in HTML, so a reply could otherwise put a phishing link in a mail that
comes from us. The excerpt is built from the stored (sanitized) HTML: tags
dropped, entities decoded, then every URL, bare domain and e-mail address
replaced by a marker, and anything still shaped like a tag removed.
"""

import re
from html.parser import HTMLParser

LINK_MARKER = "[link]"
EXCERPT_LENGTH = 280

_BLOCKS = {"p", "br", "blockquote", "pre", "li", "ul", "ol"}
_LINKLIKE = re.compile(
    r"""
    (?:[a-z][a-z0-9+.-]*:(?://)?\S+)          # scheme:..., http://..., mailto:...
    | (?:\S+@\S+)                              # anything@anything
    | (?:\bwww\.\S+)                           # www.example
    | (?:\b(?:[a-z0-9-]+\.)+[a-z]{2,}\b\S*)   # example.com/path
    """,
    re.IGNORECASE | re.VERBOSE,
)
_TAGLIKE = re.compile(r"<[^<>]*>|[<>]")


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(value: str) -> str:
    """One line of text with no links and nothing tag-shaped; for names and titles too."""
    text = _LINKLIKE.sub(LINK_MARKER, value)
    text = _TAGLIKE.sub(" ", text)
    return " ".join(text.split())


def excerpt_from_html(html: str, *, length: int = EXCERPT_LENGTH) -> str:
    """The first `length` characters of a comment's text, cut at a word."""
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    text = plain_text("".join(parser.parts))
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0] or text[:length]
    return cut.rstrip(" .,;:") + "…"
