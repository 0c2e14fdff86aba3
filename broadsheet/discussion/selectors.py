"""Reads of threads and comments. Each takes the viewer and runs a fixed number of queries."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber

from broadsheet.accounts.viewers import Viewer
from broadsheet.core import sql
from broadsheet.core.clock import now
from broadsheet.core.errors import InvalidInput, NotFound

from .models import Comment, CommentStatus, Thread, ThreadStatus, Vote
from .positions import SEGMENT_WIDTH, root_seq, subtree_upper_bound
from .sorts import CommentSort, order_top_level
from .trees import CommentNode, build_forest, mark_votes
from .visibility import TOMBSTONE_STATUSES, visible_sql, visible_to


def thread_get(*, thread_id: int, viewer: Viewer) -> Thread:
    try:
        # With its article (if any): pages and redirects name the article's address.
        thread = Thread.objects.select_related("article").get(pk=thread_id)
    except Thread.DoesNotExist:
        raise NotFound("There is no such discussion.") from None
    if thread.status == ThreadStatus.HIDDEN and not viewer.is_moderator:
        raise NotFound("There is no such discussion.")
    return thread


def _comments(viewer: Viewer) -> QuerySet[Comment]:
    return Comment.objects.filter(visible_to(viewer)).select_related("author")


@dataclass
class ThreadPage:
    thread: Thread
    roots: list[CommentNode]
    page: int
    has_next: bool
    sort: CommentSort

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def thread_page(
    *, thread: Thread, viewer: Viewer, page: int = 1, sort: CommentSort = CommentSort.OLDEST
) -> ThreadPage:
    """One page of top-level comments with their replies: two queries, bounded rows.

    Replies are shared fairly among the page's top-level comments: first
    replies of every one before second replies of any, so one huge subthread
    cannot crowd out the rest. What doesn't fit is left to "more replies".
    """
    per_page = settings.BROADSHEET_PAGE_TOP_LEVEL
    budget = settings.BROADSHEET_PAGE_MAX_COMMENTS
    page = max(page, 1)
    offset = (page - 1) * per_page
    roots = list(
        order_top_level(_comments(viewer).filter(thread=thread, depth=0), sort)[
            offset : offset + per_page + 1
        ]
    )
    has_next = len(roots) > per_page
    roots = roots[:per_page]
    reply_budget = budget - len(roots)
    replies: list[Comment] = []
    if roots and reply_budget > 0:
        replies = list(
            _comments(viewer)
            .filter(thread=thread, root_id__in=[c.pk for c in roots])
            .annotate(
                rank=Window(RowNumber(), partition_by=F("root_id"), order_by=F("path").asc()),
                root_total=Window(Count("id"), partition_by=F("root_id")),
            )
            .order_by("rank", "path")[:reply_budget]
        )
    replies.sort(key=lambda c: c.path)
    shown_per_root: dict[int, int] = {}
    total_per_root: dict[int, int] = {}
    for reply in replies:
        shown_per_root[reply.root_id] = shown_per_root.get(reply.root_id, 0) + 1
        total_per_root[reply.root_id] = reply.root_total
    by_root: dict[int, list[Comment]] = {}
    for reply in replies:
        by_root.setdefault(reply.root_id, []).append(reply)
    ordered: list[Comment] = []
    for root in roots:
        ordered.append(root)
        ordered.extend(by_root.get(root.pk, ()))
    nodes = build_forest(
        ordered, viewer=viewer, max_indent=settings.BROADSHEET_MAX_INDENT, at=now()
    )
    mark_votes(nodes, votes_of(viewer, [c.pk for c in ordered]))
    for node in nodes:
        node.more_replies = total_per_root.get(node.comment.pk, 0) - shown_per_root.get(
            node.comment.pk, 0
        )
    return ThreadPage(thread=thread, roots=nodes, page=page, has_next=has_next, sort=sort)


@dataclass
class CommentContext:
    """A permalink's focused view: ancestors for context, the comment, its replies."""

    comment: Comment
    ancestors: list[Comment]
    node: CommentNode
    next_cursor: str | None


def comment_get(*, comment_id: int, viewer: Viewer) -> Comment:
    try:
        comment = _comments(viewer).select_related("thread").get(pk=comment_id)
    except Comment.DoesNotExist:
        raise NotFound("There is no such comment, or it is not visible.") from None
    if comment.thread.status == ThreadStatus.HIDDEN and not viewer.is_moderator:
        raise NotFound("There is no such comment, or it is not visible.")
    return comment


def comment_context(*, comment_id: int, viewer: Viewer, after: str | None = None) -> CommentContext:
    """Three queries: the comment, its ancestors (path prefixes), a page of its subtree."""
    comment = comment_get(comment_id=comment_id, viewer=viewer)
    prefixes = [
        comment.path[:end] for end in range(SEGMENT_WIDTH, len(comment.path), SEGMENT_WIDTH)
    ]
    ancestors = (
        list(
            _comments(viewer)
            .filter(thread_id=comment.thread_id, path__in=prefixes)
            .order_by("path")
        )
        if prefixes
        else []
    )
    limit = settings.BROADSHEET_PAGE_MAX_COMMENTS
    start = after if after and after.startswith(comment.path) else comment.path
    subtree = list(
        _comments(viewer)
        .filter(
            thread_id=comment.thread_id,
            path__gt=start,
            path__lt=subtree_upper_bound(comment.path),
        )
        .order_by("path")[: limit + 1]
    )
    next_cursor = subtree[limit - 1].path if len(subtree) > limit else None
    subtree = subtree[:limit]
    nodes = build_forest(
        [comment, *subtree],
        viewer=viewer,
        max_indent=settings.BROADSHEET_MAX_INDENT,
        base_depth=comment.depth,
        adopt_orphans=bool(after),
        at=now(),
    )
    mark_votes(nodes, votes_of(viewer, [comment.pk, *(c.pk for c in subtree)]))
    # A tombstone without visible replies is pruned; the permalink still shows it.
    node = nodes[0] if nodes else CommentNode(
        comment=comment, indent=0, show_body=False, is_own=False
    )  # fmt: skip
    node.focused = True
    return CommentContext(comment=comment, ancestors=ancestors, node=node, next_cursor=next_cursor)


def votes_of(viewer: Viewer, comment_ids: list[int]) -> dict[int, int]:
    """The viewer's votes on these comments; no query for a viewer who can't have voted."""
    if viewer.user is not None:
        votes = Vote.objects.filter(user=viewer.user)
    elif viewer.guest_hash:
        votes = Vote.objects.filter(user__isnull=True, guest_key_hash=viewer.guest_hash)
    else:
        return {}
    if not comment_ids:
        return {}
    return dict(votes.filter(comment_id__in=comment_ids).values_list("comment_id", "value"))


def root_page_number(*, comment: Comment, viewer: Viewer) -> int:
    """The page of the thread (oldest first) that shows this comment's top-level comment."""
    visible, params = visible_sql(viewer)
    # Plain SQL (core/sql.py): every comment posted without JavaScript is redirected here.
    ((before,),) = sql.rows(
        f"SELECT COUNT(*) FROM {sql.table(Comment)} "  # noqa: S608
        f"WHERE thread_id = %s AND depth = 0 AND seq < %s AND {visible}",
        [comment.thread_id, root_seq(comment.path), *params],
    )
    return before // settings.BROADSHEET_PAGE_TOP_LEVEL + 1


# What the whole-thread JSON reads of a comment: no e-mail or address hashes.
_ALL_COMMENT_FIELDS = (
    *("id", "parent_id", "depth", "path", "author_id", "author__display_name", "guest_name"),
    *("body_html", "created_at", "edited_at", "upvotes", "downvotes", "status"),
)


def thread_comments_all(*, thread: Thread, viewer: Viewer) -> Iterator[dict]:
    """Every comment of the thread this viewer can see, in path (display) order: one query.

    Plain dicts for a JSON reply, read with values_list() and iterator(), so a
    10,000-comment thread never becomes 10,000 model objects. No e-mail or
    address hashes are read. As on the pages, tombstones show no text or
    author (except to moderators) and are left out when none of their replies
    is visible; a reply whose parent is not visible is left out with its
    subtree. `status` is what the viewer is told: published, held (their own,
    awaiting moderation), deleted or removed; moderators get the stored one.
    """
    moderator = viewer.is_moderator
    rows = (
        Comment.objects.filter(visible_to(viewer), thread=thread)
        .order_by("path")
        .values_list(*_ALL_COMMENT_FIELDS)
        .iterator(chunk_size=2000)
    )
    present: set[int] = set()
    # Tombstones waiting for a visible reply before they are shown: (path, item).
    pending: list[tuple[str, dict]] = []
    for row in rows:
        pk, parent_id, depth, path, author_id, author_name, guest_name = row[:7]
        html, created, edited, upvotes, downvotes, status = row[7:]
        if parent_id is not None and parent_id not in present:
            continue
        while pending and not path.startswith(pending[-1][0]):
            pending.pop()
        tombstone = status in TOMBSTONE_STATUSES and not moderator
        if tombstone:
            shown_status = "deleted" if status == CommentStatus.DELETED else "removed"
        else:
            shown_status = str(status)
        item = {
            "id": pk,
            "parent": parent_id,
            "depth": depth,
            "author": "" if tombstone else (author_name if author_id else guest_name),
            "guest": False if tombstone else author_id is None,
            "html": "" if tombstone else html,
            "created_at": created.isoformat(),
            "edited_at": edited.isoformat() if edited and not tombstone else None,
            "upvotes": upvotes,
            "downvotes": downvotes,
            "status": shown_status,
        }
        present.add(pk)
        if tombstone:
            pending.append((path, item))
            continue
        for _, waiting in pending:
            yield waiting
        pending.clear()
        yield item


# Reads by page URL: the API (and the embed) find a thread by the page it sits under.
MAX_COUNT_URLS = 100


def _could_be_key(key: str) -> bool:
    """Whether a thread could have this key: one with a NUL byte or too long never does (and
    PostgreSQL refuses a NUL in a query), so it is not looked up at all."""
    return "\x00" not in key and len(key) <= Thread._meta.get_field("key").max_length


def thread_by_key(*, key: str, viewer: Viewer) -> Thread:
    """One query: the thread keyed by this page URL."""
    key = key.strip()
    thread = None
    if _could_be_key(key):
        threads = Thread.objects.filter(key=key)
        if not viewer.is_moderator:
            threads = threads.exclude(status=ThreadStatus.HIDDEN)
        thread = threads.first()
    if thread is None:
        raise NotFound("There is no discussion for this page.", code="thread_not_found")
    return thread


def thread_counts(*, keys: list[str]) -> dict[str, int]:
    """One query: published comment counts by page URL; 0 for a page with no discussion."""
    keys = [k.strip() for k in keys]
    if not keys:
        raise InvalidInput("Give at least one url.", code="urls_missing", field="url")
    if len(keys) > MAX_COUNT_URLS:
        raise InvalidInput(
            f"Ask for at most {MAX_COUNT_URLS} urls at once.", code="urls_too_many", field="url"
        )
    found = dict(
        Thread.objects.filter(key__in=[k for k in keys if _could_be_key(k)])
        .exclude(status=ThreadStatus.HIDDEN)
        .values_list("key", "comment_count")
    )
    return {key: found.get(key, 0) for key in keys}
