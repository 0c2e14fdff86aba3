"""Who sees which comment. Every read of comments filters through here.

Guests see published comments, and tombstones ("[deleted]", "[removed]") of
others that still hold visible replies; an author also sees their own held
comments, marked "awaiting moderation", and their shadowed comments (the author is
shadow-banned) as if published, which nobody else but moderators sees.
"""

from datetime import datetime

from django.conf import settings
from django.db.models import Q

from broadsheet.accounts.viewers import Viewer

from .models import Comment, CommentStatus

TOMBSTONE_STATUSES = (CommentStatus.DELETED, CommentStatus.REJECTED, CommentStatus.SPAM)


def visible_to(viewer: Viewer) -> Q:
    if viewer.is_moderator:
        return Q()
    visible = Q(status__in=(CommentStatus.PUBLISHED, *TOMBSTONE_STATUSES), shadowed=False)
    own_statuses = (CommentStatus.HELD, CommentStatus.PUBLISHED, *TOMBSTONE_STATUSES)
    if viewer.user is not None:
        visible |= Q(
            Q(status=CommentStatus.HELD) | Q(shadowed=True, status__in=own_statuses),
            author_id=viewer.user_id,
        )
    elif viewer.guest_hash:
        visible |= Q(
            Q(status=CommentStatus.HELD) | Q(shadowed=True, status__in=own_statuses),
            author__isnull=True,
            guest_key_hash=viewer.guest_hash,
        )
    return visible


def visible_sql(viewer: Viewer) -> tuple[str, list]:
    """`visible_to` as a plain SQL condition and its parameters, for the reads on the
    posting path (core/sql.py); a test holds the two to the same rows for every viewer."""
    if viewer.is_moderator:
        return "1 = 1", []

    def among(statuses: tuple) -> tuple[str, list]:
        return f"status IN ({', '.join(['%s'] * len(statuses))})", [s.value for s in statuses]

    shown, shown_params = among((CommentStatus.PUBLISHED, *TOMBSTONE_STATUSES))
    condition, params = f"({shown} AND shadowed = %s)", [*shown_params, False]
    own, own_params = among((CommentStatus.HELD, CommentStatus.PUBLISHED, *TOMBSTONE_STATUSES))
    mine = f"(status = %s OR (shadowed = %s AND {own}))"
    mine_params = [CommentStatus.HELD.value, True, *own_params]
    if viewer.user is not None:
        condition += f" OR (author_id = %s AND {mine})"
        params += [viewer.user_id, *mine_params]
    elif viewer.guest_hash:
        condition += f" OR (author_id IS NULL AND guest_key_hash = %s AND {mine})"
        params += [viewer.guest_hash, *mine_params]
    return f"({condition})", params


def shows_body(comment: Comment, viewer: Viewer) -> bool:
    """Tombstones keep their place but not their text, except for moderators."""
    return comment.status not in TOMBSTONE_STATUSES or viewer.is_moderator


def is_own(comment: Comment, viewer: Viewer) -> bool:
    if viewer.user is not None:
        return comment.author_id == viewer.user_id
    return (
        bool(viewer.guest_hash)
        and comment.author_id is None
        and (comment.guest_key_hash == viewer.guest_hash)
    )


def edit_window_open(comment: Comment, *, at: datetime) -> bool:
    return (at - comment.created_at).total_seconds() <= settings.BROADSHEET_EDIT_WINDOW_SECONDS
