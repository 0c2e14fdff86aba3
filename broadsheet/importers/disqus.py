"""Disqus XML export -> records.

The export lists categories, then threads (with the page's link and title),
then every post apart from its thread, pointing at it and at its parent by
Disqus id; children may come before their parents. Each post becomes a
record as soon as it is read; the loader stages them and sorts out the
tree per thread. Authors marked anonymous (or without a username) are guests;
the others become profiles keyed by their Disqus username.
"""

from collections.abc import Iterator
from typing import BinaryIO
from xml.etree.ElementTree import Element

from .htmltext import html_to_markdown
from .records import ImportedComment, ImportedThread, ImportedUser, Record, Skipped
from .timestamps import parse_timestamp
from .xmlstream import attribute, child, child_text, finished_elements, local_name


def _true(text: str) -> bool:
    return text.strip().lower() == "true"


def _thread(element: Element) -> Record:
    key = attribute(element, "id")
    link = child_text(element, "link")
    if not key:
        return Skipped("a thread without dsq:id", "it cannot be referred to by any post")
    if not link:
        return Skipped(f"thread {key}", "it has no <link>, so no page to attach it to")
    status = None
    if _true(child_text(element, "isDeleted")):
        status = "hidden"
    elif _true(child_text(element, "isClosed")):
        status = "closed"
    return ImportedThread(
        key=key,
        url=link,
        title=child_text(element, "title"),
        status=status,
        created_at=parse_timestamp(child_text(element, "createdAt")),
    )


def _status(element: Element) -> str:
    if _true(child_text(element, "isSpam")):
        return "spam"
    if _true(child_text(element, "isDeleted")):
        return "deleted"
    if child(element, "isApproved") is not None and not _true(child_text(element, "isApproved")):
        return "held"
    return "published"


def _post(element: Element) -> Iterator[Record]:
    key = attribute(element, "id")
    thread = child(element, "thread")
    thread_key = attribute(thread, "id") if thread is not None else ""
    if not key or not thread_key:
        yield Skipped(f"post {key or '(no dsq:id)'}", "it names no thread")
        return
    parent = child(element, "parent")
    parent_key = attribute(parent, "id") if parent is not None else ""
    author = child(element, "author")
    name = email = username = ""
    anonymous = True
    if author is not None:
        name = child_text(author, "name")
        email = child_text(author, "email")
        username = child_text(author, "username")
        anonymous = _true(child_text(author, "isAnonymous")) or not username
    author_key = None
    if not anonymous:
        author_key = f"disqus:{username}"
        yield ImportedUser(key=author_key, display_name=name or username)
    yield ImportedComment(
        key=key,
        thread_key=thread_key,
        parent_key=parent_key or None,
        body=html_to_markdown(child_text(element, "message")),
        created_at=parse_timestamp(child_text(element, "createdAt")),
        author_key=author_key,
        guest_name=name if anonymous else "",
        guest_email=email if anonymous else "",
        address=child_text(element, "ipAddress"),
        status=_status(element),
    )


def parse(stream: BinaryIO) -> Iterator[Record]:
    """Records in file order; raises InvalidInput on hostile or malformed XML."""
    label = "a Disqus export"
    for _depth, element in finished_elements(
        stream, root="disqus", depths=frozenset({1}), label=label
    ):
        name = local_name(element.tag)
        if name == "thread":
            yield _thread(element)
        elif name == "post":
            yield from _post(element)
