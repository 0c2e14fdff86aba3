"""Site and thread exports, so a site can move its discussions elsewhere or back in.

Three shapes:

- the whole site as JSON Lines (`broadsheet-jsonl`, version 1), which the
  `jsonl` importer reads back: profiles, tags, threads, articles, comments;
- one thread as a nested JSON document (replies inside their parents);
- the Disqus XML export format, the one most comment systems can import.

Every export streams: rows come through `iterator(chunk_size=...)` and go out
as they are read, so memory does not grow with the site. Nothing secret ever
leaves: no password hashes, tokens, guest-key, e-mail or address hashes, no
addresses; e-mail addresses only when the operator asks (`include_emails`).

A site export reads while the site keeps writing. Each table is read up to the
highest id it had when the export began, so a comment or profile created
midway is left out whole rather than referred to by a row that is missing.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any
from xml.sax.saxutils import XMLGenerator

from django.conf import settings
from django.db.models import Max, Prefetch

from broadsheet.accounts.models import User
from broadsheet.articles.models import Article, Tag
from broadsheet.core.clock import now
from broadsheet.discussion.models import Comment, CommentStatus, Thread

JSONL_FORMAT = "broadsheet-jsonl"
JSONL_VERSION = 1
THREAD_FORMAT = "broadsheet-thread"
THREAD_VERSION = 1
CHUNK_SIZE = 2000

DISQUS_NS = "http://disqus.com"
DISQUS_INTERNALS_NS = "http://disqus.com/disqus-internals"

_COMMENT_FIELDS = (
    "id", "thread_id", "parent_id", "author_id", "guest_name", "body_source", "status",
    "created_at", "edited_at", "upvotes", "downvotes",
)  # fmt: skip
# XML 1.0 cannot carry these at all, not even escaped.
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass
class ExportCounts:
    """What an export wrote, by record type; the commands print it."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1

    def __str__(self) -> str:
        return ", ".join(f"{n:,} {kind}s" for kind, n in self.counts.items()) or "nothing"


@dataclass(frozen=True)
class _Bounds:
    """The highest id of each table when the export began (0: the table was empty)."""

    user: int
    tag: int
    thread: int
    article: int
    comment: int

    @classmethod
    def now(cls) -> "_Bounds":
        def top(model) -> int:
            return model.objects.aggregate(top=Max("id"))["top"] or 0

        return cls(top(User), top(Tag), top(Thread), top(Article), top(Comment))


# -- the whole site as JSON Lines ------------------------------------------------------------------


def site_records(*, include_emails: bool = False) -> Iterator[dict[str, Any]]:
    """The site as JSONL records, in the order the importer needs them (referents first)."""
    bounds = _Bounds.now()
    yield {
        "type": "meta",
        "format": JSONL_FORMAT,
        "version": JSONL_VERSION,
        "exported_at": _iso(now()),
    }
    user_fields = ["id", "display_name", "bio", "is_staff", "date_joined"]
    if include_emails:
        user_fields.append("email")
    users = User.objects.filter(pk__lte=bounds.user).order_by("id").values(*user_fields)
    for user in users.iterator(chunk_size=CHUNK_SIZE):
        yield {"type": "user", **user, "date_joined": _iso(user["date_joined"])}
    tags = Tag.objects.filter(pk__lte=bounds.tag).order_by("id").values("slug", "name")
    for tag in tags.iterator(chunk_size=CHUNK_SIZE):
        yield {"type": "tag", **tag}
    threads = (
        Thread.objects.filter(pk__lte=bounds.thread)
        .order_by("id")
        .values("id", "key", "title", "status", "premoderated", "created_at")
    )
    for thread in threads.iterator(chunk_size=CHUNK_SIZE):
        yield {"type": "thread", **thread, "created_at": _iso(thread["created_at"])}
    articles = (
        Article.objects.filter(pk__lte=bounds.article, author_id__lte=bounds.user)
        .order_by("id")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("slug").only("slug")))
    )
    for article in articles.iterator(chunk_size=CHUNK_SIZE):
        yield {
            "type": "article",
            "id": article.pk,
            "slug": article.slug,
            "title": article.title,
            "dek": article.dek,
            "body": article.body_source,
            "author": article.author_id,
            "status": article.status,
            "published_at": _iso(article.published_at),
            "tags": [tag.slug for tag in article.tags.all() if tag.pk <= bounds.tag],
            "thread": article.thread_id,
            "image_url": article.image_url,
        }
    comments = (
        Comment.objects.filter(pk__lte=bounds.comment, thread_id__lte=bounds.thread)
        .order_by("thread_id", "path")
        .values(*_COMMENT_FIELDS)
    )
    for c in comments.iterator(chunk_size=CHUNK_SIZE):
        yield {
            "type": "comment",
            "id": c["id"],
            "thread": c["thread_id"],
            "parent": c["parent_id"],
            "author": c["author_id"],
            "guest_name": c["guest_name"],
            "body": c["body_source"],
            "status": c["status"],
            "created_at": _iso(c["created_at"]),
            "edited_at": _iso(c["edited_at"]),
            "upvotes": c["upvotes"],
            "downvotes": c["downvotes"],
        }


def site_jsonl_write(out: IO[str], *, include_emails: bool = False) -> ExportCounts:
    """Writes the site export to a text stream, one record a line; returns what it wrote."""
    counts = ExportCounts()
    for record in site_records(include_emails=include_emails):
        out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        out.write("\n")
        if record["type"] != "meta":
            counts.add(record["type"])
    return counts


# -- one thread as a nested JSON document ----------------------------------------------------------


def _thread_head(thread: Thread) -> dict[str, Any]:
    article = Article.objects.filter(thread=thread).values("id", "slug", "title").first()
    return {
        "id": thread.pk,
        "key": thread.key,
        "title": thread.title,
        "status": thread.status,
        "premoderated": thread.premoderated,
        "created_at": _iso(thread.created_at),
        "comment_count": thread.comment_count,
        "article": article,
    }


def _comment_node(c: dict[str, Any]) -> dict[str, Any]:
    author = None
    if c["author_id"] is not None:
        author = {"id": c["author_id"], "display_name": c["author__display_name"]}
    return {
        "id": c["id"],
        "author": author,
        "guest_name": c["guest_name"],
        "body": c["body_source"],
        "body_html": c["body_html"],
        "status": c["status"],
        "created_at": _iso(c["created_at"]),
        "edited_at": _iso(c["edited_at"]),
        "upvotes": c["upvotes"],
        "downvotes": c["downvotes"],
    }


def thread_json_chunks(*, thread: Thread) -> Iterator[str]:
    """The thread and every comment in it, each reply inside its parent's `replies`.

    Comments come in path order (depth-first, parents first), so the document is
    written as it is read: a stack of the open comments tells where each one goes.
    """
    dump = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    wrapper = {"format": THREAD_FORMAT, "version": THREAD_VERSION, "exported_at": _iso(now())}
    yield dump(wrapper)[:-1] + ',"thread":' + dump(_thread_head(thread))[:-1] + ',"comments":['
    comments = (
        Comment.objects.filter(thread=thread)
        .order_by("path")
        .values(*_COMMENT_FIELDS, "body_html", "author__display_name")
    )
    open_ids: list[int] = []  # the chain of comments whose `replies` list is open
    first_in_list = [True]  # per open list: nothing written in it yet
    for c in comments.iterator(chunk_size=CHUNK_SIZE):
        # Close the comments this one is not inside of.
        while open_ids and open_ids[-1] != c["parent_id"]:
            open_ids.pop()
            first_in_list.pop()
            yield "]}"
        separator = "" if first_in_list[-1] else ","
        first_in_list[-1] = False
        yield separator + dump(_comment_node(c))[:-1] + ',"replies":['
        open_ids.append(c["id"])
        first_in_list.append(True)
    yield "]}" * len(open_ids) + "]}}"


def thread_json_write(out: IO[str], *, thread: Thread) -> None:
    for chunk in thread_json_chunks(thread=thread):
        out.write(chunk)


# -- Disqus XML ------------------------------------------------------------------------------------


def _disqus_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _DisqusWriter:
    """A thin layer over XMLGenerator: escaped text, stripped of what XML cannot hold."""

    def __init__(self, out: IO[bytes]) -> None:
        self.xml = XMLGenerator(out, encoding="utf-8", short_empty_elements=True)

    def start(self, name: str, **attrs: str) -> None:
        self.xml.startElement(name, {key.replace("__", ":"): value for key, value in attrs.items()})

    def end(self, name: str) -> None:
        self.xml.endElement(name)

    def leaf(self, name: str, text: str = "", **attrs: str) -> None:
        self.start(name, **attrs)
        if text:
            self.xml.characters(_XML_INVALID.sub("", text))
        self.end(name)

    def newline(self) -> None:
        self.xml.ignorableWhitespace("\n")


def _flag(value: bool) -> str:
    return "true" if value else "false"


def disqus_xml_write(out: IO[bytes], *, include_emails: bool = False) -> ExportCounts:
    """Writes every thread and comment in Disqus's export format (UTF-8 bytes).

    Disqus has no "held" or "rejected" state: those comments go out marked
    deleted (as do our tombstones), so another system keeps the tree but does
    not publish them; spam goes out as spam. Bodies are our sanitized HTML,
    as Disqus's own `<message>` is.
    """
    counts = ExportCounts()
    bounds = _Bounds.now()
    forum = re.sub(r"[^a-z0-9-]+", "-", settings.BROADSHEET_SITE_NAME.lower()).strip("-")
    w = _DisqusWriter(out)
    w.xml.startDocument()
    w.start(
        "disqus",
        xmlns=DISQUS_NS,
        xmlns__dsq=DISQUS_INTERNALS_NS,
        xmlns__xsi="http://www.w3.org/2001/XMLSchema-instance",
        xsi__schemaLocation=(
            "http://disqus.com/api/schemas/1.0/disqus.xsd "
            "http://disqus.com/api/schemas/1.0/disqus-internals.xsd"
        ),
    )
    w.newline()
    w.start("category", dsq__id="1")
    w.leaf("forum", forum)
    w.leaf("title", "General")
    w.leaf("isDefault", "true")
    w.end("category")
    w.newline()
    threads = Thread.objects.filter(pk__lte=bounds.thread).order_by("id")
    for thread in threads.iterator(chunk_size=CHUNK_SIZE):
        w.start("thread", dsq__id=str(thread.pk))
        w.leaf("id", thread.key)
        w.leaf("forum", forum)
        w.leaf("category", dsq__id="1")
        w.leaf("link", thread.key)
        w.leaf("title", thread.title)
        w.leaf("message")
        w.leaf("createdAt", _disqus_time(thread.created_at))
        w.leaf("isClosed", _flag(not thread.accepts_comments))
        w.leaf("isDeleted", "false")
        w.end("thread")
        w.newline()
        counts.add("thread")
    comments = (
        Comment.objects.filter(pk__lte=bounds.comment, thread_id__lte=bounds.thread)
        .order_by("thread_id", "path")
        .values(
            "id", "thread_id", "parent_id", "author_id", "guest_name", "body_html", "status",
            "created_at", "author__display_name", "author__email",
        )
    )  # fmt: skip
    hidden = {CommentStatus.DELETED, CommentStatus.HELD, CommentStatus.REJECTED}
    for c in comments.iterator(chunk_size=CHUNK_SIZE):
        w.start("post", dsq__id=str(c["id"]))
        w.leaf("id", f"broadsheet-{c['id']}")
        w.leaf("message", c["body_html"])
        w.leaf("createdAt", _disqus_time(c["created_at"]))
        w.leaf("isDeleted", _flag(c["status"] in hidden))
        w.leaf("isSpam", _flag(c["status"] == CommentStatus.SPAM))
        w.start("author")
        if include_emails and c["author_id"] is not None:
            w.leaf("email", c["author__email"])
        w.leaf("name", c["author__display_name"] if c["author_id"] else c["guest_name"])
        w.leaf("isAnonymous", _flag(c["author_id"] is None))
        w.end("author")
        w.leaf("thread", dsq__id=str(c["thread_id"]))
        if c["parent_id"] is not None:
            w.leaf("parent", dsq__id=str(c["parent_id"]))
        w.end("post")
        w.newline()
        counts.add("post")
    w.end("disqus")
    w.newline()
    w.xml.endDocument()
    return counts
