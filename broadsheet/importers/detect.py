"""Which format a file is in, from its first bytes (as Isso's importer does)."""

from pathlib import Path

from broadsheet.core.errors import InvalidInput

FORMATS = ("disqus", "wordpress", "isso", "jsonl", "textarchive")
SNIFF_BYTES = 64 * 1024
_SQLITE = b"SQLite format 3\x00"


def detect_format(head: bytes) -> str:
    """`head` is the file's first bytes (64 KiB is plenty)."""
    if head.startswith(_SQLITE):
        return "isso"
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<"):
        if b"<disqus" in text:
            return "disqus"
        if b"<rss" in text and b"wordpress.org/export/" in text:
            return "wordpress"
        raise InvalidInput(
            "This XML file is neither a Disqus export nor a WordPress WXR export.",
            code="unknown_format",
        )
    if text.startswith(b"{") and b'"broadsheet-jsonl"' in text.split(b"\n", 1)[0]:
        return "jsonl"
    if not text:
        raise InvalidInput("The file is empty.", code="empty")
    if b"\x00" in head:
        raise InvalidInput("This binary file is not an archive Broadsheet reads.", code="unknown")
    return "textarchive"


def detect_file_format(path: Path) -> str:
    with path.open("rb") as stream:
        return detect_format(stream.read(SNIFF_BYTES))
