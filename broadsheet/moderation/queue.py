"""Reads for the moderator queue: tabs, items with their authors' histories, search.

`queue_page` runs a fixed number of queries whatever the page holds (a test
pins it): the tab counts, the page's total, the page with its authors,
standings, threads and parents, the authors' recent comments and their counts
by status, and earlier decisions about them (and, asked `with_flags`, one more
for the open reader flags on the page's comments). Histories are keyed by account,
or for a guest by browser-token hash (a guest has no account to gather by).
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Count, Q, QuerySet

from broadsheet.accounts.viewers import Viewer
from broadsheet.core.errors import Forbidden, InvalidInput
from broadsheet.discussion.models import Comment, CommentStatus

from .models import ActionKind, Flag, FlagResolution, ModerationAction

PER_PAGE = 25
RECENT_PER_AUTHOR = 5
DECISIONS_PER_AUTHOR = 5
SEARCH_MAX_LENGTH = 200
_HASH = re.compile(r"^[0-9a-f]{32}$")


class Tab(StrEnum):
    HELD = "held"
    FLAGGED = "flagged"
    RECENT = "recent"
    REJECTED = "rejected"
    SEARCH = "search"


TAB_LABELS = {
    Tab.HELD: "Held",
    Tab.FLAGGED: "Flagged",
    Tab.RECENT: "Recent",
    Tab.REJECTED: "Rejected",
}


@dataclass
class AuthorHistory:
    counts: dict[str, int] = field(default_factory=dict)
    trust_level: int | None = None
    recent: list[Comment] = field(default_factory=list)
    decisions: list[ModerationAction] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class QueueItem:
    comment: Comment
    history: AuthorHistory
    # Where the discussion is read; filled in by the page (articles live above this app).
    article_url: str = ""
    # Open reader flags, oldest first (only when the page was read `with_flags`).
    flags: list[Flag] = field(default_factory=list)

    @property
    def author_key(self) -> str:
        return author_key(self.comment)


@dataclass
class QueuePage:
    tab: Tab
    items: list[QueueItem]
    page: int
    total: int
    counts: dict[str, int]
    query: str = ""

    @property
    def has_next(self) -> bool:
        return self.page * PER_PAGE < self.total

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def author_key(comment: Comment) -> str:
    if comment.author_id is not None:
        return f"u{comment.author_id}"
    return f"g{comment.guest_key_hash}" if comment.guest_key_hash else f"c{comment.pk}"


def parse_tab(value: str | None) -> Tab:
    try:
        return Tab(value or Tab.HELD)
    except ValueError:
        raise InvalidInput("There is no such tab.", code="tab_invalid") from None


def _tab_filter(tab: Tab) -> Q:
    return {
        Tab.HELD: Q(status=CommentStatus.HELD),
        Tab.FLAGGED: Q(flag_weight__gt=0) & ~Q(status=CommentStatus.DELETED),
        Tab.RECENT: ~Q(status=CommentStatus.DELETED),
        Tab.REJECTED: Q(status__in=(CommentStatus.REJECTED, CommentStatus.SPAM)),
        Tab.SEARCH: ~Q(status=CommentStatus.DELETED),
    }[tab]


_ORDER = {
    # Riskiest first; among equals, the longest waiting.
    Tab.HELD: ("-risk", "-flag_weight", "created_at", "pk"),
    Tab.FLAGGED: ("-flag_weight", "-risk", "created_at", "pk"),
    Tab.RECENT: ("-created_at", "-pk"),
    Tab.REJECTED: ("-created_at", "-pk"),
    Tab.SEARCH: ("-created_at", "-pk"),
}


def _search_filter(query: str) -> Q:
    if len(query) > SEARCH_MAX_LENGTH:
        raise InvalidInput(
            f"Search for at most {SEARCH_MAX_LENGTH} characters.", code="search_too_long"
        )
    if _HASH.match(query.lower()):
        return Q(address_hash=query.lower()) | Q(guest_key_hash=query.lower())
    return (
        Q(author__display_name__icontains=query)
        | Q(guest_name__icontains=query)
        | Q(body_source__icontains=query)
    )


def queue_comments(*, tab: Tab, query: str = "") -> QuerySet[Comment]:
    comments = Comment.objects.filter(_tab_filter(tab))
    if query:
        comments = comments.filter(_search_filter(query))
    return comments.order_by(*_ORDER[tab])


def queue_page(
    *, viewer: Viewer, tab: Tab, page: int = 1, query: str = "", with_flags: bool = False
) -> QueuePage:
    """One page of a tab (or of search results when `query` is given): seven queries.

    `with_flags` adds an eighth, for the open flags (the API lists them; the
    page shows their total weight only).
    """
    if not viewer.is_moderator:
        raise Forbidden("The queue is for moderators.", code="not_moderator")
    query = query.strip()
    if query:
        tab = Tab.SEARCH
    page = max(page, 1)
    counts = Comment.objects.aggregate(
        held=Count("pk", filter=_tab_filter(Tab.HELD)),
        flagged=Count("pk", filter=_tab_filter(Tab.FLAGGED)),
        rejected=Count("pk", filter=_tab_filter(Tab.REJECTED)),
    )
    comments = queue_comments(tab=tab, query=query)
    total = comments.count()
    offset = (page - 1) * PER_PAGE
    rows = list(
        comments.select_related("author", "author__standing", "thread", "parent")[
            offset : offset + PER_PAGE
        ]
    )
    histories = author_histories(rows)
    items = [QueueItem(comment=c, history=histories[author_key(c)]) for c in rows]
    if with_flags and items:
        by_comment = {item.comment.pk: item for item in items}
        for flag in Flag.objects.filter(
            comment_id__in=by_comment, resolution=FlagResolution.OPEN
        ).order_by("created_at", "pk"):
            by_comment[flag.comment_id].flags.append(flag)
    return QueuePage(tab=tab, items=items, page=page, total=total, counts=counts, query=query)


def author_histories(comments: list[Comment]) -> dict[str, AuthorHistory]:
    """Counts, trust, recent comments and earlier decisions of these comments' authors.

    Three queries for any number of comments; recent comments and decisions are
    read in bounded batches and shared out per author.
    """
    histories: dict[str, AuthorHistory] = defaultdict(AuthorHistory)
    users = {c.author_id for c in comments if c.author_id is not None}
    guests = {c.guest_key_hash for c in comments if c.author_id is None and c.guest_key_hash}
    for c in comments:
        if c.author_id is not None:
            standing = getattr(c.author, "standing", None) if c.author else None
            histories[author_key(c)].trust_level = standing.trust_level if standing else 0
    if not (users or guests):
        return histories
    theirs = Q(author_id__in=users) | Q(author__isnull=True, guest_key_hash__in=guests)
    for author_id, guest_hash, status, n in (
        Comment.objects.filter(theirs)
        .values_list("author_id", "guest_key_hash", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        key = f"u{author_id}" if author_id is not None else f"g{guest_hash}"
        histories[key].counts[status] = n
    limit = RECENT_PER_AUTHOR * (len(users) + len(guests))
    for recent in (
        Comment.objects.filter(theirs)
        .select_related("thread")
        .only(
            *("pk", "author_id", "guest_key_hash", "status", "created_at", "body_source"),
            *("thread__id", "thread__title", "thread__key"),
        )
        .order_by("-created_at")[: limit * 4]
    ):
        bucket = histories[author_key(recent)].recent
        if len(bucket) < RECENT_PER_AUTHOR:
            bucket.append(recent)
    decided = Q(target_user_id__in=users) | Q(comment__guest_key_hash__in=guests)
    for action in (
        ModerationAction.objects.filter(decided)
        .exclude(kind=ActionKind.REVERT)
        .select_related("actor", "comment")
        .order_by("-created_at")[: DECISIONS_PER_AUTHOR * (len(users) + len(guests)) * 4]
    ):
        if action.target_user_id in users:
            key = f"u{action.target_user_id}"
        elif action.comment is not None and action.comment.guest_key_hash in guests:
            key = f"g{action.comment.guest_key_hash}"
        else:
            continue
        bucket = histories[key].decisions
        if len(bucket) < DECISIONS_PER_AUTHOR:
            bucket.append(action)
    return histories
