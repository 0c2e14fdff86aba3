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

from datetime import datetime
from functools import partial

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F

from broadsheet.accounts.models import User
from broadsheet.core.clock import now
from broadsheet.core.errors import Conflict, InvalidInput, NotFound
from broadsheet.discussion.events import announce
from broadsheet.discussion.models import Comment, CommentStatus, EventKind
from broadsheet.discussion.services import comment_set_status
from broadsheet.notifications.services import reply_notifications_enqueue

from . import trust
from .actions import check_actor, check_reason, comment_for_action, log_action, user_for_action
from .flags import flags_resolve
from .intake import moderator_revise
from .models import ActionKind, Ban, Flag, FlagResolution, ModerationAction, UserStanding
from .sanctions import shadow_comments


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
    check_actor(actor)
    status, allowed = _DECISIONS[kind]
    with transaction.atomic():
        comment = comment_for_action(comment_id)
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
        action = log_action(
            actor=actor, kind=kind, comment=comment, reason=reason,
            change={"status": [str(before), str(status)]},
        )  # fmt: skip
        flags_resolve(comment=comment, upheld=kind != ActionKind.APPROVE, actor=actor)
        _after_decision(comment)
    return action


def comment_approve(*, comment_id: int, actor: User, reason: str = "") -> ModerationAction:
    """Publishes a held (or rejected, or spam) comment; its open flags are dismissed."""
    return _decide(
        comment_id=comment_id, actor=actor, kind=ActionKind.APPROVE, reason=check_reason(reason)
    )


def comment_reject(*, comment_id: int, actor: User, reason: str) -> ModerationAction:
    """Removes a comment with a reason the commenter is shown; replies keep a "[removed]" parent."""
    return _decide(
        comment_id=comment_id,
        actor=actor,
        kind=ActionKind.REJECT,
        reason=check_reason(reason, required=True),
    )


def comment_mark_spam(*, comment_id: int, actor: User, reason: str = "") -> ModerationAction:
    return _decide(
        comment_id=comment_id,
        actor=actor,
        kind=ActionKind.MARK_SPAM,
        reason=check_reason(reason) or "Spam.",
    )


def comments_approve_bulk(*, comment_ids: list[int], actor: User) -> list[ModerationAction]:
    """Approves each comment that can be approved; one log entry each. Others are skipped."""
    check_actor(actor)
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
    check_actor(actor)
    reason = check_reason(reason)
    with transaction.atomic():
        comment = comment_for_action(comment_id)
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
        action = log_action(
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
    check_actor(actor)
    with transaction.atomic():
        comment = comment_for_action(comment_id)
        if featured and comment.status != CommentStatus.PUBLISHED:
            raise Conflict("Only a published comment can be featured.", code="not_allowed")
        if comment.featured == featured:
            word = "featured" if featured else "not featured"
            raise Conflict(f"This comment is {word} already.", code="already_decided")
        _set_featured(comment, featured)
        return log_action(
            actor=actor,
            kind=ActionKind.FEATURE if featured else ActionKind.UNFEATURE,
            comment=comment,
            change={"featured": [not featured, featured]},
        )


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
        comment = comment_for_action(action.comment_id)
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
        shadow_comments(change.get("shadowed_ids", []), before)
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
        user = user_for_action(action.target_user_id)
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
    check_actor(actor)
    reason = check_reason(reason)
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
