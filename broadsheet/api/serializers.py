"""Domain objects to the plain dicts the schemas validate: every field chosen, none copied."""

from typing import Any

from broadsheet.accounts import avatars
from broadsheet.accounts.models import ApiToken
from broadsheet.accounts.viewers import Viewer
from broadsheet.articles.models import Article
from broadsheet.discussion.models import Comment, CommentStatus, Thread
from broadsheet.discussion.trees import CommentNode
from broadsheet.discussion.visibility import TOMBSTONE_STATUSES
from broadsheet.moderation.models import ModerationAction
from broadsheet.moderation.queue import QueueItem, QueuePage

EXCERPT_LENGTH = 160


def thread_out(thread: Thread) -> dict:
    return {
        "id": thread.pk,
        "url": thread.key,
        "title": thread.title,
        "status": str(thread.status),
        "premoderated": thread.premoderated,
        "comment_count": thread.comment_count,
        "top_level_count": thread.top_level_count,
    }


def _shown_status(comment: Comment, viewer: Viewer) -> str:
    if comment.status in TOMBSTONE_STATUSES and not viewer.is_moderator:
        return "deleted" if comment.status == CommentStatus.DELETED else "removed"
    return str(comment.status)


def comment_out(node: CommentNode, viewer: Viewer) -> dict:
    comment = node.comment
    shown = node.show_body
    author = comment.author.display_name if comment.author_id else comment.guest_name
    return {
        "id": comment.pk,
        "parent": comment.parent_id,
        "depth": comment.depth,
        "author": author if shown else "",
        "guest": comment.author_id is None if shown else False,
        "html": comment.body_html if shown else "",
        "created_at": comment.created_at,
        "edited_at": comment.edited_at if shown else None,
        "upvotes": comment.upvotes,
        "downvotes": comment.downvotes,
        "status": _shown_status(comment, viewer),
        "is_own": node.is_own,
        "can_edit": node.can_edit,
        "my_vote": node.my_vote,
        "replying_to": node.replying_to,
        "more_replies": node.more_replies,
        "replies": [comment_out(child, viewer) for child in node.children],
    }


def own_comment_out(comment: Comment, viewer: Viewer) -> dict:
    """A comment its author just wrote, as they see it."""
    node = CommentNode(comment=comment, indent=0, show_body=True, is_own=True, can_edit=True)
    return comment_out(node, viewer)


def article_out(article: Article, *, discussion: bool = True) -> dict:
    return {
        "slug": article.slug,
        "title": article.title,
        "dek": article.dek,
        "url": article.get_absolute_url(),
        "author": article.author.display_name,
        "image_url": article.image_url,
        "published_at": article.published_at,
        "updated_at": article.updated_at,
        "thread_id": article.thread_id if discussion else None,
        "comment_count": article.thread.comment_count if discussion else None,
    }


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1] + "…"


def _reason_out(record: Any) -> dict:
    """One check's verdict as stored on the comment (a dict written by the pipeline)."""
    record = record if isinstance(record, dict) else {}
    score = record.get("score")
    return {
        "check": str(record.get("check", "")),
        "outcome": str(record.get("outcome", "")),
        "reason": str(record.get("reason", "")),
        "score": float(score) if isinstance(score, int | float) else None,
    }


def _decision_out(action: ModerationAction) -> dict:
    return {
        "id": action.pk,
        "kind": str(action.kind),
        "reason": action.reason,
        "actor": action.actor.display_name if action.actor_id else "the system",
        "created_at": action.created_at,
        "reverted": action.reverted_by_id is not None,
    }


def queue_item_out(item: QueueItem) -> dict:
    """A queue entry as the moderators' page shows it, less the address hash (never in JSON)."""
    c, history = item.comment, item.history
    return {
        "id": c.pk,
        "thread": {"id": c.thread_id, "url": c.thread.key, "title": c.thread.title},
        "parent": c.parent_id,
        "author": c.author.display_name if c.author_id else c.guest_name,
        "author_id": c.author_id,
        "guest": c.author_id is None,
        "status": str(c.status),
        "shadowed": c.shadowed,
        "featured": c.featured,
        "risk": c.risk,
        "flag_weight": c.flag_weight,
        "created_at": c.created_at,
        "edited_at": c.edited_at,
        "body": c.body_source,
        "html": c.body_html,
        "reasons": [_reason_out(r) for r in c.moderation_reasons or []],
        "flags": [
            {
                "id": f.pk,
                "reason": str(f.reason),
                "note": f.note,
                "weight": f.weight,
                "created_at": f.created_at,
            }
            for f in item.flags
        ],
        "history": {
            "counts": history.counts,
            "trust_level": history.trust_level,
            "recent": [
                {
                    "id": r.pk,
                    "status": str(r.status),
                    "excerpt": _excerpt(r.body_source),
                    "thread_title": r.thread.title or r.thread.key,
                    "created_at": r.created_at,
                }
                for r in history.recent
            ],
            "decisions": [_decision_out(d) for d in history.decisions],
        },
    }


def queue_out(page: QueuePage) -> dict:
    return {
        "tab": str(page.tab),
        "query": page.query,
        "page": page.page,
        "total": page.total,
        "has_next": page.has_next,
        "counts": page.counts,
        "items": [queue_item_out(item) for item in page.items],
    }


def moderation_out(action: ModerationAction, message: str) -> dict:
    comment = action.comment
    return {
        "comment": comment.pk,
        "status": str(comment.status),
        "featured": comment.featured,
        "message": message,
        "action": {
            "id": action.pk,
            "kind": str(action.kind),
            "reason": action.reason,
            "created_at": action.created_at,
        },
    }


def me_out(viewer: Viewer, token: ApiToken | None) -> dict:
    """The caller's own account, without the e-mail address (no API answer carries one)."""
    user = viewer.user
    return {
        "id": user.pk,
        "display_name": user.display_name,
        "bio": user.bio,
        "avatar_url": avatars.avatar_url(user, 96) if user.avatar_key else None,
        "email_verified": user.email_verified,
        "is_moderator": viewer.is_moderator,
        "is_staff": user.is_staff,
        "date_joined": user.date_joined,
        "token": (
            {"name": token.name, "prefix": token.prefix, "scope": str(token.scope)}
            if token is not None
            else None
        ),
    }


_EXPORT_PROFILE = (
    "id", "display_name", "bio", "email_verified_at", "date_joined", "last_login", "is_staff",
    "avatar",
)  # fmt: skip
_EXPORT_COMMENT = (
    "id", "thread", "parent", "body", "status", "created_at", "edited_at", "upvotes", "downvotes",
)  # fmt: skip


def export_out(data: dict) -> dict:
    """The data download (portability.erasure.user_data) less its e-mail address.

    The file from the profile page carries the member's own address; over the
    API nothing may, so every field here is chosen and `email` is not one.
    """
    profile = data["profile"]
    return {
        "format": data["format"],
        "version": data["version"],
        "exported_at": data["exported_at"],
        "profile": {key: profile[key] for key in _EXPORT_PROFILE},
        "comments": [{key: c[key] for key in _EXPORT_COMMENT} for c in data["comments"]],
    }
