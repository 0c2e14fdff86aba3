"""Sanctions on people: bans (account, address hash, guest e-mail hash), suspensions and
shadow-bans. Each checks the actor, logs one ModerationAction and can be undone with
`services.revert_action`."""

from datetime import datetime, timedelta

from django.db import transaction

from broadsheet.accounts.models import User
from broadsheet.core.clock import now
from broadsheet.core.errors import Conflict, InvalidInput, NotFound
from broadsheet.discussion.events import announce
from broadsheet.discussion.models import Comment, CommentStatus, EventKind, Thread

from .actions import check_actor, check_reason, comment_for_action, log_action, user_for_action
from .models import ActionKind, Ban, BanKind, ModerationAction, UserStanding
from .standing import active_bans

SUSPEND_MAX_DAYS = 3650
# A shadow-ban hides at most this many of the user's existing comments (newest first).
SHADOW_EXISTING_LIMIT = 1000


def _expiry(days: int | None) -> datetime | None:
    if days is None:
        return None
    if not 1 <= days <= SUSPEND_MAX_DAYS:
        raise InvalidInput(
            f"Give a number of days from 1 to {SUSPEND_MAX_DAYS}.", code="days_invalid"
        )
    return now() + timedelta(days=days)


def _ban(
    *, actor: User, kind: BanKind, user: User | None = None, value_hash: str = "",
    reason: str = "", days: int | None = None, comment: Comment | None = None,
) -> ModerationAction:  # fmt: skip
    check_actor(actor)
    reason = check_reason(reason)
    expires_at = _expiry(days)
    at = now()
    target = {"user": user} if kind == BanKind.USER else {"value_hash": value_hash}
    with transaction.atomic():
        if Ban.objects.filter(active_bans(at), kind=kind, **target).exists():
            raise Conflict("That ban is in place already.", code="already_banned")
        ban = Ban.objects.create(
            kind=kind, reason=reason, created_by=actor, created_at=at, expires_at=expires_at,
            **target,
        )  # fmt: skip
        return log_action(
            actor=actor, kind=ActionKind.BAN, comment=comment,
            target_user_id=user.pk if user else None,
            address_hash=value_hash if kind == BanKind.ADDRESS else "",
            email_hash=value_hash if kind == BanKind.EMAIL else "",
            reason=reason,
            change={"ban_id": ban.pk, "ban_kind": str(kind),
                    "expires_at": expires_at.isoformat() if expires_at else None},
        )  # fmt: skip


def user_ban(
    *, user_id: int, actor: User, reason: str = "", days: int | None = None,
    comment_id: int | None = None,
) -> ModerationAction:  # fmt: skip
    """Bans an account (for `days`, or until lifted): its later comments are refused at once."""
    user = user_for_action(user_id)
    if user.pk == actor.pk:
        raise InvalidInput("You can't ban yourself.", code="ban_self")
    comment = comment_for_action(comment_id) if comment_id else None
    return _ban(
        actor=actor, kind=BanKind.USER, user=user, reason=reason, days=days, comment=comment
    )


def address_ban(
    *, address_hash: str, actor: User, reason: str = "", days: int | None = None,
    comment_id: int | None = None,
) -> ModerationAction:  # fmt: skip
    """Bans a client address hash: guests (and new accounts) from there, under any name."""
    if not address_hash:
        raise InvalidInput("There is no address hash to ban.", code="nothing_to_ban")
    comment = comment_for_action(comment_id) if comment_id else None
    return _ban(
        actor=actor, kind=BanKind.ADDRESS, value_hash=address_hash, reason=reason, days=days,
        comment=comment,
    )  # fmt: skip


def email_ban(
    *, email_hash: str, actor: User, reason: str = "", days: int | None = None,
    comment_id: int | None = None,
) -> ModerationAction:  # fmt: skip
    """Bans a guest e-mail hash: a guest giving that address again is refused, under any name."""
    if not email_hash:
        raise InvalidInput("The guest gave no e-mail address to ban.", code="nothing_to_ban")
    comment = comment_for_action(comment_id) if comment_id else None
    return _ban(
        actor=actor, kind=BanKind.EMAIL, value_hash=email_hash, reason=reason, days=days,
        comment=comment,
    )  # fmt: skip


def ban_lift(*, ban_id: int, actor: User, reason: str = "") -> ModerationAction:
    check_actor(actor)
    reason = check_reason(reason)
    with transaction.atomic():
        ban = Ban.objects.select_for_update().filter(pk=ban_id).first()
        if ban is None:
            raise NotFound("There is no such ban.")
        if ban.lifted_at is not None:
            raise Conflict("This ban was lifted already.", code="already_lifted")
        ban.lifted_at = now()
        ban.save(update_fields=["lifted_at"])
        return log_action(
            actor=actor, kind=ActionKind.UNBAN, target_user_id=ban.user_id,
            address_hash=ban.value_hash if ban.kind == BanKind.ADDRESS else "",
            email_hash=ban.value_hash if ban.kind == BanKind.EMAIL else "",
            reason=reason, change={"ban_id": ban.pk, "lifted": [False, True]},
        )  # fmt: skip


def _standing_locked(user: User) -> UserStanding:
    UserStanding.objects.get_or_create(user=user)
    return UserStanding.objects.select_for_update().get(user=user)


def user_suspend(
    *, user_id: int, actor: User, days: int, reason: str = "", comment_id: int | None = None
) -> ModerationAction:
    """No comments from the account for `days` days; it can still read and sign in."""
    check_actor(actor)
    user = user_for_action(user_id)
    reason = check_reason(reason)
    until = _expiry(days)
    comment = comment_for_action(comment_id) if comment_id else None
    with transaction.atomic():
        standing = _standing_locked(user)
        before = standing.suspended_until
        standing.suspended_until = until
        standing.updated_at = now()
        standing.save(update_fields=["suspended_until", "updated_at"])
        return log_action(
            actor=actor, kind=ActionKind.SUSPEND, comment=comment, target_user_id=user.pk,
            reason=reason,
            change={"suspended_until": [before.isoformat() if before else None,
                                        until.isoformat() if until else None]},
        )  # fmt: skip


def shadow_comments(comment_ids: list[int], shadowed: bool) -> None:
    """Hides (or shows again) comments from everyone but their author; counts follow."""
    rows = list(
        Comment.objects.filter(pk__in=comment_ids)
        .exclude(shadowed=shadowed)
        .values_list("pk", "thread_id", "parent_id")
    )
    if not rows:
        return
    Comment.objects.filter(pk__in=[pk for pk, _, _ in rows]).update(shadowed=shadowed)
    for thread_id in {t for _, t, _ in rows}:
        published = Comment.objects.filter(
            thread_id=thread_id, status=CommentStatus.PUBLISHED, shadowed=False
        )
        Thread.objects.filter(pk=thread_id).update(
            comment_count=published.count(), top_level_count=published.filter(depth=0).count()
        )
    for pk, thread_id, parent_id in rows:
        kind = EventKind.REMOVED if shadowed else EventKind.CREATED
        announce(thread_id=thread_id, kind=kind, comment_id=pk, parent_id=parent_id)


def user_shadow_ban(
    *, user_id: int, actor: User, reason: str = "", comment_id: int | None = None
) -> ModerationAction:
    """The user's comments, existing and later, show to them as published and to nobody else."""
    check_actor(actor)
    user = user_for_action(user_id)
    reason = check_reason(reason)
    comment = comment_for_action(comment_id) if comment_id else None
    with transaction.atomic():
        standing = _standing_locked(user)
        if standing.shadow_banned:
            raise Conflict("This account is shadow-banned already.", code="already_banned")
        standing.shadow_banned = True
        standing.updated_at = now()
        standing.save(update_fields=["shadow_banned", "updated_at"])
        ids = list(
            Comment.objects.filter(author=user, shadowed=False)
            .order_by("-created_at")
            .values_list("pk", flat=True)[:SHADOW_EXISTING_LIMIT]
        )
        shadow_comments(ids, True)
        return log_action(
            actor=actor, kind=ActionKind.SHADOW_BAN, comment=comment, target_user_id=user.pk,
            reason=reason, change={"shadow_banned": [False, True], "shadowed_ids": ids},
        )  # fmt: skip


def user_unshadow_ban(*, user_id: int, actor: User, reason: str = "") -> ModerationAction:
    """Lifts a shadow-ban: the user's shadowed comments show to everyone again."""
    check_actor(actor)
    user = user_for_action(user_id)
    with transaction.atomic():
        standing = _standing_locked(user)
        if not standing.shadow_banned:
            raise Conflict("This account is not shadow-banned.", code="not_banned")
        standing.shadow_banned = False
        standing.updated_at = now()
        standing.save(update_fields=["shadow_banned", "updated_at"])
        ids = list(Comment.objects.filter(author=user, shadowed=True).values_list("pk", flat=True))
        shadow_comments(ids, False)
        return log_action(
            actor=actor, kind=ActionKind.UNSHADOW_BAN, target_user_id=user.pk,
            reason=check_reason(reason),
            change={"shadow_banned": [True, False], "shadowed_ids": ids},
        )  # fmt: skip


def commenter_ban(
    *, comment_id: int, actor: User, reason: str = "", days: int | None = None
) -> list[ModerationAction]:
    """Bans whoever wrote the comment: the account; for a guest, the address and e-mail hashes
    (so the guest can't come back under another name)."""
    comment = comment_for_action(comment_id)
    if comment.author_id is not None:
        return [
            user_ban(
                user_id=comment.author_id, actor=actor, reason=reason, days=days,
                comment_id=comment.pk,
            )
        ]  # fmt: skip
    actions = []
    for ban, value in ((address_ban, comment.address_hash), (email_ban, comment.guest_email_hash)):
        if not value:
            continue
        arguments = {"address_hash" if ban is address_ban else "email_hash": value}
        try:
            actions.append(
                ban(actor=actor, reason=reason, days=days, comment_id=comment.pk, **arguments)
            )
        except Conflict:
            continue
    if not actions:
        raise Conflict(
            "This guest is banned already, or left nothing to ban by.", code="already_banned"
        )
    return actions


def comment_author_id(*, comment_id: int) -> int:
    """The account behind a comment, for actions on accounts (suspend, shadow-ban)."""
    comment = comment_for_action(comment_id)
    if comment.author_id is None:
        raise InvalidInput(
            "A guest has no account to act on; ban the address or e-mail hash instead.",
            code="guest_comment",
        )
    return comment.author_id
