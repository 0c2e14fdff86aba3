"""WordPress WXR export -> records.

A WXR file is RSS: one <item> per post or page, its comments inside it as
<wp:comment> elements that point at their parent by `comment_parent`.
Comments are handed over as each one ends (an item with a hundred thousand
comments is never held whole); the item's link, title and id come before its
comments in every WXR that WordPress writes.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO
from xml.etree.ElementTree import Element

from .htmltext import html_to_markdown
from .records import ImportedComment, ImportedThread, ImportedUser, Record, Skipped
from .timestamps import parse_timestamp
from .xmlstream import child_text, finished_elements, local_name, namespace

_APPROVED = {"1": "published", "0": "held", "spam": "spam", "trash": "deleted"}
_HEADER = {"title", "link", "post_id", "post_type", "comment_status", "guid"}
_PLAIN = {"title", "link", "guid"}  # RSS's own elements, without the wp: namespace


@dataclass
class _Item:
    number: int
    fields: dict[str, str] = field(default_factory=dict)
    announced: bool = False

    @property
    def key(self) -> str:
        return self.fields.get("post_id") or f"item-{self.number}"

    def thread(self) -> Record:
        url = self.fields.get("link") or self.fields.get("guid", "")
        if not url:
            return Skipped(f"post {self.key}", "it has no <link>, so no page to attach it to")
        closed = self.fields.get("comment_status") == "closed"
        return ImportedThread(
            key=self.key,
            url=url,
            title=self.fields.get("title", ""),
            status="closed" if closed else None,
        )


def _is_wp(element: Element) -> bool:
    return namespace(element.tag).startswith("http://wordpress.org/export/")


def _comment(element: Element, item: _Item) -> Iterator[Record]:
    key = child_text(element, "comment_id")
    label = f"comment {key or '(no id)'} on post {item.key}"
    if not key:
        yield Skipped(label, "it has no comment_id")
        return
    kind = child_text(element, "comment_type")
    if kind in ("pingback", "trackback"):
        yield Skipped(label, f"it is a {kind}, not a comment")
        return
    approved = child_text(element, "comment_approved")
    status = _APPROVED.get(approved)
    if status is None:
        yield Skipped(label, f"unknown approval state {approved!r}")
        return
    name = child_text(element, "comment_author")
    user_id = child_text(element, "comment_user_id") or child_text(element, "user_id")
    author_key = None
    if user_id and user_id != "0":
        author_key = f"wordpress:{user_id}"
        yield ImportedUser(key=author_key, display_name=name or f"WordPress user {user_id}")
    created = parse_timestamp(child_text(element, "comment_date_gmt")) or parse_timestamp(
        child_text(element, "comment_date")
    )
    parent = child_text(element, "comment_parent")
    yield ImportedComment(
        key=key,
        thread_key=item.key,
        parent_key=parent if parent and parent != "0" else None,
        body=html_to_markdown(child_text(element, "comment_content"), keep_newlines=True),
        created_at=created,
        author_key=author_key,
        guest_name="" if author_key else name,
        guest_email="" if author_key else child_text(element, "comment_author_email"),
        address=child_text(element, "comment_author_IP"),
        status=status,
    )


def parse(stream: BinaryIO) -> Iterator[Record]:
    """Records in file order; raises InvalidInput on hostile or malformed XML."""
    item: _Item | None = None
    items = 0
    for depth, element in finished_elements(
        stream, root="rss", depths=frozenset({2, 3}), label="a WordPress export (WXR)"
    ):
        name = local_name(element.tag)
        if depth == 2:
            item = None  # an item (or channel metadata) ended
            continue
        if item is None:
            items += 1
            item = _Item(number=items)
        if name == "comment" and _is_wp(element):
            if not item.announced:
                item.announced = True
                yield item.thread()
            yield from _comment(element, item)
        elif name in _HEADER and (name in _PLAIN or _is_wp(element)):
            item.fields.setdefault(name, (element.text or "").strip())
