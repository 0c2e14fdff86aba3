"""Writing moderation actions: the checks every decision shares, and its audit-log entry."""

from broadsheet.accounts.models import User
from broadsheet.accounts.viewers import Viewer
from broadsheet.core.clock import now
from broadsheet.core.errors import Forbidden, InvalidInput, NotFound
from broadsheet.discussion.models import Comment

from .models import ActionKind, ModerationAction

REASON_MAX_LENGTH = 1000


def check_actor(actor: User) -> None:
    if not Viewer(user=actor).is_moderator:
        raise Forbidden("Only moderators can do this.", code="not_moderator")


def check_reason(reason: str, *, required: bool = False) -> str:
    reason = " ".join((reason or "").split())
    if required and not reason:
        raise InvalidInput("Give a reason: the commenter is shown it.", code="reason_required")
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidInput(
            f"The reason is {len(reason):,} characters long; the limit is {REASON_MAX_LENGTH:,}.",
            code="reason_too_long",
        )
    return reason


def comment_for_action(comment_id: int) -> Comment:
    comment = Comment.objects.select_related("author").filter(pk=comment_id).first()
    if comment is None:
        raise NotFound("There is no such comment.")
    return comment


def log_action(
    *, actor: User | None, kind: ActionKind, comment: Comment | None = None,
    target_user_id: int | None = None, address_hash: str = "", email_hash: str = "",
    reason: str = "", change: dict | None = None,
) -> ModerationAction:  # fmt: skip
    return ModerationAction.objects.create(
        actor=actor,
        kind=kind,
        comment=comment,
        target_user_id=target_user_id if target_user_id else (comment and comment.author_id),
        target_address_hash=address_hash or (comment.address_hash if comment else ""),
        target_email_hash=email_hash or (comment.guest_email_hash if comment else ""),
        reason=reason,
        change=change or {},
        created_at=now(),
    )


def user_for_action(user_id: int) -> User:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound("There is no such account.")
    return user
