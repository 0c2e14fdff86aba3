"""The moderator role: a "Moderators" group holding discussion.moderate_comment.

Admins (superusers, or staff allowed to change groups) grant and remove it on
a page of their own; each change is written to the audit log.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from broadsheet.accounts.models import User
from broadsheet.core.errors import Conflict, Forbidden, InvalidInput, NotFound

from .models import ActionKind, ModerationAction

MODERATORS_GROUP = "Moderators"
ADMIN_PERMISSION = "auth.change_group"


def is_role_admin(user: User | None) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm(ADMIN_PERMISSION))
    )


def _moderate_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="discussion", codename="moderate_comment")


def moderators_group() -> Group:
    """The group, created with its permission the first time it is needed."""
    group, created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    if created:
        group.permissions.add(_moderate_permission())
    return group


@dataclass(frozen=True)
class ModeratorRow:
    user: User
    # In the group (the role this page manages); else a moderator some other way.
    by_role: bool
    how: str


def moderators_list() -> list[ModeratorRow]:
    """Everyone who can moderate, and how: two queries."""
    group = moderators_group()
    permission = Q(user_permissions__codename="moderate_comment") | Q(
        groups__permissions__codename="moderate_comment"
    )
    users = (
        User.objects.filter(Q(is_superuser=True) | permission, is_active=True)
        .annotate(in_role=Exists(User.groups.through.objects.filter(
            user_id=OuterRef("pk"), group_id=group.pk
        )))
        .distinct()
        .order_by("display_name", "pk")
    )  # fmt: skip
    rows = []
    for user in users:
        if user.in_role:
            how = "Moderators group"
        elif user.is_superuser:
            how = "superuser"
        else:
            how = "a permission or another group (see the admin)"
        rows.append(ModeratorRow(user=user, by_role=user.in_role, how=how))
    return rows


def _require_admin(actor: User) -> None:
    if not is_role_admin(actor):
        raise Forbidden("Only administrators can change who moderates.", code="not_admin")


def moderator_role_grant(*, actor: User, email: str) -> ModerationAction:
    _require_admin(actor)
    email = email.strip()
    if not email:
        raise InvalidInput("Give the e-mail address of the account.", code="email", field="email")
    user = User.objects.with_email(email).first()
    if user is None or not user.is_active:
        raise NotFound("No active account has that e-mail address.", code="no_such_user")
    group = moderators_group()
    with transaction.atomic():
        if user.groups.filter(pk=group.pk).exists():
            raise Conflict(f"{user.display_name} is already a moderator.", code="already")
        user.groups.add(group)
        return ModerationAction.objects.create(
            actor=actor,
            kind=ActionKind.ROLE_GRANT,
            target_user=user,
            change={"group": [None, MODERATORS_GROUP]},
        )


def moderator_role_revoke(*, actor: User, user_id: int, reason: str = "") -> ModerationAction:
    _require_admin(actor)
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound("There is no such account.", code="no_such_user")
    group = moderators_group()
    with transaction.atomic():
        if not user.groups.filter(pk=group.pk).exists():
            raise InvalidInput(
                f"{user.display_name} is not in the Moderators group; a superuser or a permission "
                "given in the admin makes them a moderator.",
                code="not_in_role",
            )
        user.groups.remove(group)
        return ModerationAction.objects.create(
            actor=actor,
            kind=ActionKind.ROLE_REVOKE,
            target_user=user,
            reason=reason.strip()[:500],
            change={"group": [MODERATORS_GROUP, None]},
        )
