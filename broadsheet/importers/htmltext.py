"""Comment HTML from other systems (Disqus, WordPress) turned into Markdown source.

We store what a commenter wrote as Markdown and render it ourselves, so an
imported comment is edited, quoted and sanitized like a native one. Only the
structure a comment can carry survives (paragraphs, line breaks, emphasis,
links, quotes, code, lists); every other tag is dropped and its text kept.
"""

import re
from html.parser import HTMLParser

_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]])")
_BLOCK_MARKER = re.compile(r"^(\s*)([>#+-]|\d+[.)])(\s)", re.MULTILINE)
_SKIPPED = {"script", "style", "head", "title"}


def escape_markdown(text: str) -> str:
    """Plain text that Markdown will show as typed."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _BLOCK_MARKER.sub(lambda m: f"{m.group(1)}\\{m.group(2)}{m.group(3)}", text)


class _Converter(HTMLParser):
    def __init__(self, *, keep_newlines: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.keep_newlines = keep_newlines
        self.buffers: list[list[str]] = [[]]
        self.links: list[str | None] = []
        self.lists: list[str] = []
        self.pre = 0
        self.skip = 0

    def emit(self, text: str) -> None:
        self.buffers[-1].append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skip += 1
        elif tag in ("p", "div"):
            self.emit("\n\n")
        elif tag == "br":
            self.emit("\n")
        elif tag in ("strong", "b"):
            self.emit("**")
        elif tag in ("em", "i"):
            self.emit("*")
        elif tag == "code" and not self.pre:
            self.emit("`")
        elif tag == "pre":
            self.pre += 1
            self.emit("\n\n```\n")
        elif tag in ("a", "blockquote"):
            self.buffers.append([])
            if tag == "a":
                href = (dict(attrs).get("href") or "").strip()
                self.links.append(href if href.lower().startswith(_SAFE_SCHEMES) else None)
        elif tag in ("ul", "ol"):
            self.lists.append(tag)
            self.emit("\n\n")
        elif tag == "li":
            self.emit("\n1. " if self.lists and self.lists[-1] == "ol" else "\n- ")
        elif tag == "img":
            alt = (dict(attrs).get("alt") or "").strip()
            if alt:
                self.emit(escape_markdown(alt))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skip = max(0, self.skip - 1)
        elif tag in ("p", "div"):
            self.emit("\n\n")
        elif tag in ("strong", "b"):
            self.emit("**")
        elif tag in ("em", "i"):
            self.emit("*")
        elif tag == "code" and not self.pre:
            self.emit("`")
        elif tag == "pre" and self.pre:
            self.pre -= 1
            self.emit("\n```\n\n")
        elif tag == "a" and self.links:
            self._close_link()
        elif tag == "blockquote" and len(self.buffers) > 1 and not self.links:
            inner = re.sub(r"\n{3,}", "\n\n", "".join(self.buffers.pop()).strip())
            quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in inner.splitlines())
            self.emit(f"\n\n{quoted}\n\n")
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.emit("\n\n")

    def _close_link(self) -> None:
        text = "".join(self.buffers.pop()).strip()
        href = self.links.pop()
        if href and text and text.replace("\\", "") != href:
            target = href.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
            self.emit(f"[{text}]({target})")
        else:
            self.emit(text or (href or ""))

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre:
            self.emit(data)
            return
        if not self.keep_newlines:
            data = re.sub(r"\s+", " ", data)
        self.emit(escape_markdown(data))

    def result(self) -> str:
        while self.links:
            self._close_link()
        while len(self.buffers) > 1:
            inner = "".join(self.buffers.pop())
            self.emit(inner)
        return "".join(self.buffers[0])


def html_to_markdown(html: str, *, keep_newlines: bool = False) -> str:
    """Markdown for a comment's HTML; `keep_newlines` for WordPress, whose line breaks are text."""
    converter = _Converter(keep_newlines=keep_newlines)
    converter.feed(html)
    converter.close()
    text = converter.result()
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()
