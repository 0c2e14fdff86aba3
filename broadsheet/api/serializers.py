"""Domain objects to the plain dicts the schemas validate: every field chosen, none copied."""

from broadsheet.accounts.viewers import Viewer
from broadsheet.articles.models import Article
from broadsheet.discussion.models import Comment, CommentStatus, Thread
from broadsheet.discussion.trees import CommentNode
from broadsheet.discussion.visibility import TOMBSTONE_STATUSES


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
