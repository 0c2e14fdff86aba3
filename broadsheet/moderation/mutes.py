"""A reader's mutes: commenters whose comments collapse for that reader, and for nobody else.

A member mutes by account; a guest reader by their browser token's hash. A
muted registered commenter is kept by account, a muted guest commenter by the
hash of their browser token (the one handle a guest has). Pages read the
viewer's mutes once (`muted_by`): one query for a viewer with an identity,
none for an anonymous reader, whatever the page shows.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q

from broadsheet.accounts.viewers import Viewer
from broadsheet.core.errors import Forbidden, InvalidInput, NotFound
from broadsheet.discussion.models import Comment
from broadsheet.discussion.visibility import is_own, visible_to

from .models import Mute


@dataclass(frozen=True)
class MutedSet:
    users: set[int] = field(default_factory=set)
    guests: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.users or self.guests)


@dataclass(frozen=True)
class MuteEntry:
    id: int
    name: str
    is_guest: bool
    created_at: datetime


def _muter(viewer: Viewer) -> Q | None:
    if viewer.user is not None:
        return Q(muter_id=viewer.user_id)
    if viewer.guest_hash:
        return Q(muter__isnull=True, muter_guest_hash=viewer.guest_hash)
    return None


def muted_by(viewer: Viewer) -> MutedSet:
    """Whom the viewer muted: one query, none for a viewer without an identity."""
    muter = _muter(viewer)
    if muter is None:
        return MutedSet()
    muted = MutedSet()
    for user_id, guest_hash in Mute.objects.filter(muter).values_list(
        "muted_user_id", "muted_guest_hash"
    ):
        if user_id is not None:
            muted.users.add(user_id)
        elif guest_hash:
            muted.guests.add(guest_hash)
    return muted


def mute_commenter(*, viewer: Viewer, comment_id: int) -> Mute:
    """Mutes the author of a comment for this viewer; muting twice keeps the one mute."""
    muter = _muter(viewer)
    if muter is None:
        raise Forbidden("Muting needs cookies enabled.", code="no_guest_token")
    comment = (
        Comment.objects.filter(visible_to(viewer), pk=comment_id).select_related("author").first()
    )
    if comment is None:
        raise NotFound("There is no such comment.")
    if is_own(comment, viewer):
        raise InvalidInput("You can't mute yourself.", code="mute_self")
    if comment.author_id is not None:
        target = {"muted_user_id": comment.author_id}
    elif comment.guest_key_hash:
        target = {"muted_user": None, "muted_guest_hash": comment.guest_key_hash}
    else:
        raise InvalidInput(
            "This commenter can't be muted: the comment came from an imported archive.",
            code="mute_unknown_author",
        )
    existing = Mute.objects.filter(muter, **target).first()
    if existing is not None:
        return existing
    by = (
        {"muter": viewer.user}
        if viewer.user is not None
        else {"muter": None, "muter_guest_hash": viewer.guest_hash}
    )
    try:
        with transaction.atomic():
            return Mute.objects.create(**by, **target)
    except IntegrityError:  # the same mute, made a moment ago by a concurrent request
        return Mute.objects.get(muter, **target)


def mute_remove(*, viewer: Viewer, mute_id: int) -> None:
    """Unmutes: the commenter's comments show in full again for this viewer."""
    muter = _muter(viewer)
    deleted = Mute.objects.filter(muter, pk=mute_id).delete()[0] if muter is not None else 0
    if not deleted:
        raise NotFound("There is no such mute.")


def mutes_list(*, viewer: Viewer) -> list[MuteEntry]:
    """The viewer's mutes with the commenters' names, newest first: two queries."""
    muter = _muter(viewer)
    if muter is None:
        return []
    rows = list(
        Mute.objects.filter(muter)
        .order_by("-created_at", "-id")
        .values_list("id", "muted_user__display_name", "muted_guest_hash", "created_at")
    )
    guest_hashes = {guest for _, name, guest, _ in rows if name is None and guest}
    guest_names: dict[str, str] = {}
    if guest_hashes:
        for guest, name in (
            Comment.objects.filter(author__isnull=True, guest_key_hash__in=guest_hashes)
            .order_by("created_at")
            .values_list("guest_key_hash", "guest_name")
        ):
            guest_names[guest] = name
    return [
        MuteEntry(
            id=pk,
            name=name if name is not None else guest_names.get(guest, "a guest"),
            is_guest=name is None,
            created_at=created,
        )
        for pk, name, guest, created in rows
    ]
