"""Readers' flags: one per reader per comment, weighted by the reporter's trust.

A comment's open flags add up in `Comment.flag_weight`; once that passes
BROADSHEET_FLAG_HIDE_WEIGHT the comment is held (hidden from readers) until a
moderator decides, and the moderator's decision resolves the flags
(`flags_resolve`). Guests can flag too, within a rate limit kept in Django's
cache (shared by every app process) per browser token and per address hash,
since a guest can throw the token away and flag again under a new one.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from broadsheet.accounts.models import User
from broadsheet.accounts.viewers import Viewer
from broadsheet.core.addresses import address_hash
from broadsheet.core.clock import now
from broadsheet.core.errors import BroadsheetError, Conflict, Forbidden, InvalidInput, NotFound
from broadsheet.core.text import check_text
from broadsheet.discussion.models import Comment, CommentStatus
from broadsheet.discussion.services import comment_set_status
from broadsheet.discussion.visibility import is_own, visible_to

from .models import (
    ActionKind,
    Flag,
    FlagReason,
    FlagResolution,
    ModerationAction,
    UserStanding,
)
from .ratelimits import Limit, count_hits, current_counts
from .standing import trust_level_of

NOTE_MAX_LENGTH = 500
# A guest's flag counts least: anyone can be a new guest.
GUEST_WEIGHT = 0.5
# By trust level (0 new .. 4 leader, see trust.py): trusted readers' flags weigh more.
WEIGHT_BY_TRUST = {0: 1.0, 1: 1.0, 2: 1.5, 3: 2.0, 4: 3.0}
# The reason recorded on a comment the flags held, as the pipeline's checks record theirs.
FLAGS_CHECK = "flags"
_WINDOW_SECONDS = 3600


class RateLimited(BroadsheetError):
    status = 429
    code = "rate_limited"


@dataclass(frozen=True)
class FlagOutcome:
    flag: Flag
    comment: Comment
    # The flag took the comment past the threshold: it is now held for a moderator.
    held: bool


def flag_weight_for(viewer: Viewer) -> float:
    """How much this reader's flag counts: guests least, trusted members most."""
    if viewer.user is None:
        return GUEST_WEIGHT
    return WEIGHT_BY_TRUST.get(min(trust_level_of(viewer.user_id), 4), 1.0)


def check_flag_input(reason: str, note: str) -> tuple[FlagReason, str]:
    if reason not in FlagReason.values:
        choices = ", ".join(label.lower() for label in FlagReason.labels)
        raise InvalidInput(
            f"Choose why you flag it: {choices}.", code="flag_reason", field="reason"
        )
    note = " ".join(check_text(note, field="note", label="The note").split())
    if len(note) > NOTE_MAX_LENGTH:
        raise InvalidInput(
            f"The note is {len(note)} characters long; the limit is {NOTE_MAX_LENGTH}.",
            code="flag_note_too_long",
            field="note",
        )
    if reason == FlagReason.OTHER and not note:
        raise InvalidInput(
            "Say in a few words what is wrong with the comment.", code="flag_note", field="note"
        )
    return FlagReason(reason), note


def _limit_keys(viewer: Viewer, client_address: str) -> list[tuple[str, Limit]]:
    limits = settings.BROADSHEET_FLAG_LIMITS

    def hourly(kind: str) -> Limit:
        return Limit(f"flags-{kind}", limits[kind], _WINDOW_SECONDS)

    if viewer.user is not None:
        return [(str(viewer.user_id), hourly("member"))]
    keys = [(viewer.guest_hash, hourly("guest"))]
    if client_address:
        keys.append((address_hash(client_address), hourly("address")))
    return keys


def _check_rate(keys: list[tuple[str, Limit]]) -> None:
    """Refuses before the flag is written; the flag is counted only once it is."""
    if any(c.count >= c.limit for c in current_counts(keys, at=now().timestamp())):
        raise RateLimited(
            "You have flagged a lot of comments in the last hour; try again later, "
            "or write to the editors.",
        )


def flag_comment(
    *, comment_id: int, viewer: Viewer, reason: str, note: str = "", client_address: str = ""
) -> FlagOutcome:
    """Records the viewer's one flag on a comment and holds the comment past the threshold.

    A second flag from the same reader is a 409 with a message, not a second
    weight; nobody flags their own comment; only published comments take flags
    (a held one is already waiting for a moderator).
    """
    flag_reason, note = check_flag_input(reason, note)
    if viewer.user is None and not viewer.guest_hash:
        raise Forbidden("Flagging needs cookies enabled.", code="no_guest_token")
    limit_keys = _limit_keys(viewer, client_address)
    _check_rate(limit_keys)
    weight = flag_weight_for(viewer)
    reporter = (
        {"reporter": viewer.user}
        if viewer.user is not None
        else {"reporter": None, "reporter_guest_hash": viewer.guest_hash}
    )
    with transaction.atomic():
        # Before the comment: one the flags already hid is out of this reader's view.
        if Flag.objects.filter(comment_id=comment_id, **reporter).exists():
            raise Conflict("You have already flagged this comment.", code="flag_repeat")
        comment = (
            Comment.objects.select_for_update().filter(visible_to(viewer), pk=comment_id).first()
        )
        if comment is None:
            raise NotFound("There is no such comment.")
        if is_own(comment, viewer):
            raise Forbidden("You can't flag your own comment.", code="flag_own")
        if comment.status != CommentStatus.PUBLISHED:
            raise InvalidInput(
                "Only published comments can be flagged; this one is already out of view.",
                code="flag_not_published",
            )
        try:
            with transaction.atomic():
                flag = Flag.objects.create(
                    comment=comment, reason=flag_reason, note=note, weight=weight, **reporter
                )
        except IntegrityError:
            raise Conflict("You have already flagged this comment.", code="flag_repeat") from None
        Comment.objects.filter(pk=comment.pk).update(flag_weight=F("flag_weight") + weight)
        comment.refresh_from_db(fields=["flag_weight"])
        threshold = settings.BROADSHEET_FLAG_HIDE_WEIGHT
        held = comment.flag_weight >= threshold
        if held:
            reason_record = {
                "check": FLAGS_CHECK,
                "outcome": "hold",
                "reason": f"Readers' flags weigh {comment.flag_weight:g} "
                f"(the threshold is {threshold:g}).",
                "score": round(comment.flag_weight, 3),
            }
            changed = comment_set_status(
                comment_id=comment.pk,
                status=CommentStatus.HELD,
                reasons=[reason_record],
                expect=(CommentStatus.PUBLISHED,),
            )
            held = changed is not None
            if changed:
                comment = changed[0]
    count_hits(limit_keys, at=now().timestamp())
    return FlagOutcome(flag=flag, comment=comment, held=held)


def flags_resolve(*, comment: Comment, upheld: bool, actor: User | None) -> ModerationAction | None:
    """Closes a comment's open flags with a moderator's decision (called by the queue).

    Upheld: the reporters were right; the author's upheld-flag count rises (it
    lowers their trust, see trust.py). Dismissed: the flags stop counting; this
    is written to the audit log as FLAGS_DISMISS (change: the flags' ids and the
    weight before), and that entry is returned. The comment's status is the
    caller's decision (approve, reject), made and logged by the caller.
    """
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        open_ids = list(
            Flag.objects.filter(comment=locked, resolution=FlagResolution.OPEN).values_list(
                "id", flat=True
            )
        )
        resolution = FlagResolution.UPHELD if upheld else FlagResolution.DISMISSED
        Flag.objects.filter(pk__in=open_ids).update(resolution=resolution)
        weight_before = locked.flag_weight
        Comment.objects.filter(pk=locked.pk).update(flag_weight=0.0)
        comment.flag_weight = 0.0
        if not open_ids:
            return None
        if upheld:
            if locked.author_id is not None:
                UserStanding.objects.get_or_create(user_id=locked.author_id)
                UserStanding.objects.filter(user_id=locked.author_id).update(
                    upheld_flags_count=F("upheld_flags_count") + 1, updated_at=now()
                )
            return None
        return ModerationAction.objects.create(
            actor=actor,
            kind=ActionKind.FLAGS_DISMISS,
            comment=locked,
            target_user_id=locked.author_id,
            change={"flag_ids": open_ids, "flag_weight": [weight_before, 0.0]},
        )
