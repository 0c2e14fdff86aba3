"""Turning comments read in path order into what a page shows: nested nodes.

Indentation is capped: a reply deeper than MAX_INDENT levels is shown at the
cap, in conversation order, and says whom it answers.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from broadsheet.accounts.viewers import Viewer

from .models import Comment, CommentStatus
from .visibility import TOMBSTONE_STATUSES, edit_window_open, is_own, shows_body


@dataclass
class CommentNode:
    comment: Comment
    indent: int
    show_body: bool
    is_own: bool
    children: list["CommentNode"] = field(default_factory=list)
    # Set when the reply is shown flatter than its real depth.
    replying_to: str = ""
    # Replies under this node left for a "more replies" link.
    more_replies: int = 0
    focused: bool = False
    # Replies listed beside this node (past the indentation cap), not under it.
    flat_replies: int = 0
    # The viewer's own vote on it: 1, -1 or 0.
    my_vote: int = 0
    can_edit: bool = False
    # The viewer muted its author: shown collapsed, for that viewer only.
    muted: bool = False

    @property
    def is_tombstone(self) -> bool:
        return self.comment.status in TOMBSTONE_STATUSES

    @property
    def awaiting_moderation(self) -> bool:
        return self.comment.status == CommentStatus.HELD

    def walk(self) -> Iterable["CommentNode"]:
        yield self
        for child in self.children:
            yield from child.walk()


def build_forest(
    comments: Iterable[Comment],
    *,
    viewer: Viewer,
    max_indent: int,
    base_depth: int = 0,
    adopt_orphans: bool = False,
    at: datetime | None = None,
) -> list[CommentNode]:
    """Nodes from comments read in path order.

    Comments at `base_depth` are the roots. A reply whose parent is absent is
    dropped with its subtree, or, with `adopt_orphans` (a continuation page of
    a subtree), listed under the first root. Tombstones left without visible
    replies are dropped. `at` (now) lets own comments offer editing in the window.
    """
    by_id: dict[int, CommentNode] = {}
    listed_in: dict[int, CommentNode] = {}
    roots: list[CommentNode] = []
    for comment in comments:
        own = is_own(comment, viewer)
        node = CommentNode(
            comment=comment,
            indent=0,
            show_body=shows_body(comment, viewer),
            is_own=own,
            can_edit=own and at is not None and edit_window_open(comment, at=at),
        )
        parent_node = by_id.get(comment.parent_id) if comment.parent_id else None
        if comment.depth == base_depth:
            roots.append(node)
            by_id[comment.pk] = node
            continue
        if parent_node is None:
            if not (adopt_orphans and roots):
                continue
            container = roots[0]
        elif parent_node.indent < max_indent:
            container = parent_node
        else:
            container = listed_in[parent_node.comment.pk]
            node.replying_to = parent_node.comment.display_name
            parent_node.flat_replies += 1
        node.indent = container.indent + 1
        container.children.append(node)
        listed_in[comment.pk] = container
        by_id[comment.pk] = node
    return _prune_tombstones(roots)


def _prune_tombstones(nodes: list[CommentNode]) -> list[CommentNode]:
    kept = []
    for node in nodes:
        node.children = _prune_tombstones(node.children)
        if node.is_tombstone and not (node.children or node.flat_replies or node.show_body):
            continue
        kept.append(node)
    return kept


def mark_votes(nodes: list[CommentNode], votes: dict[int, int]) -> None:
    for root in nodes:
        for node in root.walk():
            node.my_vote = votes.get(node.comment.pk, 0)


def mark_muted(nodes: list[CommentNode], *, users: set[int], guests: set[str]) -> None:
    """Collapses the comments of commenters this viewer muted (accounts, or guests by token)."""
    if not (users or guests):
        return
    for root in nodes:
        for node in root.walk():
            comment = node.comment
            node.muted = not node.is_own and (
                comment.author_id in users
                if comment.author_id is not None
                else bool(comment.guest_key_hash) and comment.guest_key_hash in guests
            )
