"""Moderators' decisions: each one checks the actor, changes one thing, logs it, can be undone.

Every service here is keyword-only, takes the acting moderator, and writes one
ModerationAction (the audit log) whose `change` holds what is needed to undo
it; `revert_action` undoes any of them (and the flag dismissals and role
changes other modules log) and logs the revert. Status changes go through
`discussion.services.comment_set_status`, which keeps thread counts right and
announces the change (an approval is announced as CREATED, so live readers see
the comment arrive). Decisions reach the commenter as a note on their own view
of the discussion (`notes.py`), and the author's trust level is recomputed.
"""

from datetime import datetime, timedelta
from functools import partial

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F

from broadsheet.accounts.models import User
from broadsheet.accounts.viewers import Viewer
from broadsheet.core.clock import now
from broadsheet.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from broadsheet.discussion.events import announce
from broadsheet.discussion.models import Comment, CommentStatus, EventKind, Thread
from broadsheet.discussion.services import comment_set_status
from broadsheet.notifications.services import reply_notifications_enqueue

from . import trust
from .flags import flags_resolve
from .intake import moderator_revise
from .models import ActionKind, Ban, BanKind, Flag, FlagResolution, ModerationAction, UserStanding
from .standing import active_bans

REASON_MAX_LENGTH = 1000
SUSPEND_MAX_DAYS = 3650
# A shadow-ban hides at most this many of the user's existing comments (newest first).
SHADOW_EXISTING_LIMIT = 1000


def _check_actor(actor: User) -> None:
    if not Viewer(user=actor).is_moderator:
        raise Forbidden("Only moderators can do this.", code="not_moderator")


def _check_reason(reason: str, *, required: bool = False) -> str:
    reason = " ".join((reason or "").split())
    if required and not reason:
        raise InvalidInput("Give a reason: the commenter is shown it.", code="reason_required")
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidInput(
            f"The reason is {len(reason):,} characters long; the limit is {REASON_MAX_LENGTH:,}.",
            code="reason_too_long",
        )
    return reason


def _comment(comment_id: int) -> Comment:
    comment = Comment.objects.select_related("author").filter(pk=comment_id).first()
    if comment is None:
        raise NotFound("There is no such comment.")
    return comment


def _log(
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


def _after_decision(comment: Comment) -> None:
    """Trust follows decisions; a reply that became visible tells the parent's author."""
    if comment.author_id is not None:
        trust.trust_recompute(user=comment.author)
    if (
        comment.status == CommentStatus.PUBLISHED
        and comment.parent_id is not None
        and not comment.shadowed
    ):
        transaction.on_commit(partial(reply_notifications_enqueue, comment_id=comment.pk))


_DECISIONS = {
    ActionKind.APPROVE: (
        CommentStatus.PUBLISHED,
        (CommentStatus.HELD, CommentStatus.REJECTED, CommentStatus.SPAM),
    ),
    ActionKind.REJECT: (
        CommentStatus.REJECTED,
        (CommentStatus.PUBLISHED, CommentStatus.HELD, CommentStatus.SPAM),
    ),
    ActionKind.MARK_SPAM: (
        CommentStatus.SPAM,
        (CommentStatus.PUBLISHED, CommentStatus.HELD, CommentStatus.REJECTED),
    ),
}


def _decide(*, comment_id: int, actor: User, kind: ActionKind, reason: str) -> ModerationAction:
    _check_actor(actor)
    status, allowed = _DECISIONS[kind]
    with transaction.atomic():
        comment = _comment(comment_id)
        before = CommentStatus(comment.status)
        if before == status:
            raise Conflict(
                f"This comment is {comment.get_status_display().lower()} already.",
                code="already_decided",
            )
        record = {"check": "moderator", "outcome": str(kind), "reason": reason, "score": 1.0}
        changed = comment_set_status(
            comment_id=comment.pk, status=status, reasons=[record], expect=allowed
        )
        if changed is None:
            raise Conflict(
                f"A {comment.get_status_display().lower()} comment can't be "
                f"{ActionKind(kind).label.lower()}.",
                code="not_allowed",
            )
        comment = changed[0]
        action = _log(
            actor=actor, kind=kind, comment=comment, reason=reason,
            change={"status": [str(before), str(status)]},
        )  # fmt: skip
        flags_resolve(comment=comment, upheld=kind != ActionKind.APPROVE, actor=actor)
        _after_decision(comment)
    return action


def comment_approve(*, comment_id: int, actor: User, reason: str = "") -> ModerationAction:
    """Publishes a held (or rejected, or spam) comment; its open flags are dismissed."""
    return _decide(
        comment_id=comment_id, actor=actor, kind=ActionKind.APPROVE, reason=_check_reason(reason)
    )


def comment_reject(*, comment_id: int, actor: User, reason: str) -> ModerationAction:
    """Removes a comment with a reason the commenter is shown; replies keep a "[removed]" parent."""
    return _decide(
        comment_id=comment_id,
        actor=actor,
        kind=ActionKind.REJECT,
        reason=_check_reason(reason, required=True),
    )


def comment_mark_spam(*, comment_id: int, actor: User, reason: str = "") -> ModerationAction:
    return _decide(
        comment_id=comment_id,
        actor=actor,
        kind=ActionKind.MARK_SPAM,
        reason=_check_reason(reason) or "Spam.",
    )


def comments_approve_bulk(*, comment_ids: list[int], actor: User) -> list[ModerationAction]:
    """Approves each comment that can be approved; one log entry each. Others are skipped."""
    _check_actor(actor)
    actions = []
    for comment_id in dict.fromkeys(comment_ids):
        try:
            actions.append(comment_approve(comment_id=comment_id, actor=actor))
        except (Conflict, NotFound):
            continue
    return actions


def comment_edit_approve(
    *, comment_id: int, actor: User, body: str, reason: str = ""
) -> ModerationAction:
    """The moderator's edit goes through the intake's content checks, then is published.

    A check that would reject the new text refuses the edit (nothing changes);
    a hold is the moderator's to overrule, so the comment is published.
    """
    _check_actor(actor)
    reason = _check_reason(reason)
    with transaction.atomic():
        comment = _comment(comment_id)
        before = CommentStatus(comment.status)
        if before == CommentStatus.DELETED:
            raise Conflict("A deleted comment can't be edited.", code="not_allowed")
        old_body = comment.body_source
        revised = moderator_revise(comment=comment, body=body)
        if before != CommentStatus.PUBLISHED:
            announce(
                thread_id=revised.thread_id,
                kind=EventKind.CREATED,
                comment_id=revised.pk,
                parent_id=revised.parent_id,
            )
        action = _log(
            actor=actor, kind=ActionKind.EDIT_APPROVE, comment=revised, reason=reason,
            change={
                "status": [str(before), str(CommentStatus.PUBLISHED)],
                "body": [old_body, revised.body_source],
            },
        )  # fmt: skip
        flags_resolve(comment=revised, upheld=False, actor=actor)
        _after_decision(revised)
    return action


def _set_featured(comment: Comment, featured: bool) -> None:
    Comment.objects.filter(pk=comment.pk).update(featured=featured)
    comment.featured = featured
    announce(
        thread_id=comment.thread_id,
        kind=EventKind.EDITED,
        comment_id=comment.pk,
        parent_id=comment.parent_id,
    )


def comment_feature(*, comment_id: int, actor: User, featured: bool = True) -> ModerationAction:
    """Marks (or unmarks) a published comment as an editor's pick."""
    _check_actor(actor)
    with transaction.atomic():
        comment = _comment(comment_id)
        if featured and comment.status != CommentStatus.PUBLISHED:
            raise Conflict("Only a published comment can be featured.", code="not_allowed")
        if comment.featured == featured:
            word = "featured" if featured else "not featured"
            raise Conflict(f"This comment is {word} already.", code="already_decided")
        _set_featured(comment, featured)
        return _log(
            actor=actor,
            kind=ActionKind.FEATURE if featured else ActionKind.UNFEATURE,
            comment=comment,
            change={"featured": [not featured, featured]},
        )


# -- people: bans, suspensions, shadow-bans ------------------------------------------------------


def _user(user_id: int) -> User:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound("There is no such account.")
    return user


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
    _check_actor(actor)
    reason = _check_reason(reason)
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
        return _log(
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
    user = _user(user_id)
    if user.pk == actor.pk:
        raise InvalidInput("You can't ban yourself.", code="ban_self")
    comment = _comment(comment_id) if comment_id else None
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
    comment = _comment(comment_id) if comment_id else None
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
    comment = _comment(comment_id) if comment_id else None
    return _ban(
        actor=actor, kind=BanKind.EMAIL, value_hash=email_hash, reason=reason, days=days,
        comment=comment,
    )  # fmt: skip


def ban_lift(*, ban_id: int, actor: User, reason: str = "") -> ModerationAction:
    _check_actor(actor)
    reason = _check_reason(reason)
    with transaction.atomic():
        ban = Ban.objects.select_for_update().filter(pk=ban_id).first()
        if ban is None:
            raise NotFound("There is no such ban.")
        if ban.lifted_at is not None:
            raise Conflict("This ban was lifted already.", code="already_lifted")
        ban.lifted_at = now()
        ban.save(update_fields=["lifted_at"])
        return _log(
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
    _check_actor(actor)
    user = _user(user_id)
    reason = _check_reason(reason)
    until = _expiry(days)
    comment = _comment(comment_id) if comment_id else None
    with transaction.atomic():
        standing = _standing_locked(user)
        before = standing.suspended_until
        standing.suspended_until = until
        standing.updated_at = now()
        standing.save(update_fields=["suspended_until", "updated_at"])
        return _log(
            actor=actor, kind=ActionKind.SUSPEND, comment=comment, target_user_id=user.pk,
            reason=reason,
            change={"suspended_until": [before.isoformat() if before else None,
                                        until.isoformat() if until else None]},
        )  # fmt: skip


def _shadow_comments(comment_ids: list[int], shadowed: bool) -> None:
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
    _check_actor(actor)
    user = _user(user_id)
    reason = _check_reason(reason)
    comment = _comment(comment_id) if comment_id else None
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
        _shadow_comments(ids, True)
        return _log(
            actor=actor, kind=ActionKind.SHADOW_BAN, comment=comment, target_user_id=user.pk,
            reason=reason, change={"shadow_banned": [False, True], "shadowed_ids": ids},
        )  # fmt: skip


def user_unshadow_ban(*, user_id: int, actor: User, reason: str = "") -> ModerationAction:
    """Lifts a shadow-ban: the user's shadowed comments show to everyone again."""
    _check_actor(actor)
    user = _user(user_id)
    with transaction.atomic():
        standing = _standing_locked(user)
        if not standing.shadow_banned:
            raise Conflict("This account is not shadow-banned.", code="not_banned")
        standing.shadow_banned = False
        standing.updated_at = now()
        standing.save(update_fields=["shadow_banned", "updated_at"])
        ids = list(Comment.objects.filter(author=user, shadowed=True).values_list("pk", flat=True))
        _shadow_comments(ids, False)
        return _log(
            actor=actor, kind=ActionKind.UNSHADOW_BAN, target_user_id=user.pk,
            reason=_check_reason(reason),
            change={"shadow_banned": [True, False], "shadowed_ids": ids},
        )  # fmt: skip


# -- undo -----------------------------------------------------------------------------------------


def _revert_change(action: ModerationAction) -> dict:
    """Applies the inverse of `action.change`; returns the change the revert itself made."""
    change = action.change or {}
    done: dict = {}
    if "status" in change:
        before, after = change["status"]
        changed = comment_set_status(
            comment_id=action.comment_id,
            status=CommentStatus(before),
            reasons=[{"check": "moderator", "outcome": "revert", "reason": f"#{action.pk}",
                      "score": 0.0}],
            expect=(CommentStatus(after),),
        )  # fmt: skip
        if changed is None:
            raise Conflict(
                "The comment has changed since; decide on it afresh.", code="revert_stale"
            )
        done["status"] = [after, before]
    if "body" in change and action.comment_id:
        from broadsheet.core.markup import render_comment

        old, new = change["body"]
        Comment.objects.filter(pk=action.comment_id).update(
            body_source=old, body_html=render_comment(old)
        )
        done["body"] = [new, old]
    if "featured" in change and action.comment_id:
        before, after = change["featured"]
        comment = _comment(action.comment_id)
        _set_featured(comment, before)
        done["featured"] = [after, before]
    if action.kind == ActionKind.BAN:
        lifted = Ban.objects.filter(pk=change["ban_id"], lifted_at__isnull=True).update(
            lifted_at=now()
        )
        if not lifted:
            raise Conflict("That ban was lifted already.", code="revert_stale")
        done["ban_id"] = change["ban_id"]
        done["lifted"] = [False, True]
    if action.kind == ActionKind.UNBAN:
        Ban.objects.filter(pk=change["ban_id"]).update(lifted_at=None)
        done["ban_id"] = change["ban_id"]
        done["lifted"] = [True, False]
    if "suspended_until" in change and action.target_user_id:
        before, after = change["suspended_until"]
        UserStanding.objects.filter(user_id=action.target_user_id).update(
            suspended_until=datetime.fromisoformat(before) if before else None, updated_at=now()
        )
        done["suspended_until"] = [after, before]
    if "shadow_banned" in change and action.target_user_id:
        before, after = change["shadow_banned"]
        UserStanding.objects.filter(user_id=action.target_user_id).update(
            shadow_banned=before, updated_at=now()
        )
        _shadow_comments(change.get("shadowed_ids", []), before)
        done["shadow_banned"] = [after, before]
        done["shadowed_ids"] = change.get("shadowed_ids", [])
    if "flag_ids" in change:
        ids = change["flag_ids"]
        Flag.objects.filter(pk__in=ids).update(resolution=FlagResolution.OPEN)
        weight = change.get("flag_weight", [0.0, 0.0])[0]
        Comment.objects.filter(pk=action.comment_id).update(flag_weight=F("flag_weight") + weight)
        done["flag_ids"] = ids
    if "group" in change and action.target_user_id:
        before, after = change["group"]
        user = _user(action.target_user_id)
        if after:
            user.groups.remove(*Group.objects.filter(name=after))
        if before:
            user.groups.add(*Group.objects.filter(name=before))
        done["group"] = [after, before]
    if not done:
        raise InvalidInput("This action can't be reverted.", code="not_revertible")
    return done


def revert_action(*, action_id: int, actor: User, reason: str = "") -> ModerationAction:
    """Undoes one logged action and logs the undoing (a revert itself is not reverted:
    take the action again instead)."""
    _check_actor(actor)
    reason = _check_reason(reason)
    with transaction.atomic():
        action = ModerationAction.objects.select_for_update().filter(pk=action_id).first()
        if action is None:
            raise NotFound("There is no such action.")
        if action.kind == ActionKind.REVERT:
            raise InvalidInput(
                "A revert can't be reverted; take the action again.", code="not_revertible"
            )
        if action.reverted_by_id is not None:
            raise Conflict("This action was reverted already.", code="already_reverted")
        done = _revert_change(action)
        revert = ModerationAction.objects.create(
            actor=actor,
            kind=ActionKind.REVERT,
            comment_id=action.comment_id,
            target_user_id=action.target_user_id,
            target_address_hash=action.target_address_hash,
            target_email_hash=action.target_email_hash,
            reason=reason or f"Reverted: {action.get_kind_display()} (#{action.pk})",
            change={**done, "reverts": action.pk, "reverted_kind": action.kind},
            created_at=now(),
        )
        action.reverted_by = revert
        action.save(update_fields=["reverted_by"])
        if action.target_user_id:
            user = User.objects.filter(pk=action.target_user_id).first()
            if user is not None:
                trust.trust_recompute(user=user)
    return revert


def commenter_ban(
    *, comment_id: int, actor: User, reason: str = "", days: int | None = None
) -> list[ModerationAction]:
    """Bans whoever wrote the comment: the account; for a guest, the address and e-mail hashes
    (so the guest can't come back under another name)."""
    comment = _comment(comment_id)
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
    comment = _comment(comment_id)
    if comment.author_id is None:
        raise InvalidInput(
            "A guest has no account to act on; ban the address or e-mail hash instead.",
            code="guest_comment",
        )
    return comment.author_id
