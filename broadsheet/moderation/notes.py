"""What a commenter is told about moderators' decisions on their comments.

Decisions are read from the audit log itself, so nothing extra is stored: a
registered commenter (by account) and a guest (by browser token, on their own
view only) see a note on the discussion pages for two weeks after a moderator
approved, edited-and-approved, rejected or removed as spam one of their
comments, with the reason given. A reverted decision is not shown.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q

from broadsheet.accounts.viewers import Viewer
from broadsheet.core.clock import now

from .models import ActionKind, ModerationAction

NOTE_DAYS = 14
NOTE_LIMIT = 5
_KINDS = (ActionKind.APPROVE, ActionKind.EDIT_APPROVE, ActionKind.REJECT, ActionKind.MARK_SPAM)
_VERBS = {
    ActionKind.APPROVE: "was approved",
    ActionKind.EDIT_APPROVE: "was edited by a moderator and approved",
    ActionKind.REJECT: "was rejected",
    ActionKind.MARK_SPAM: "was removed as spam",
}


@dataclass(frozen=True)
class DecisionNote:
    action_id: int
    comment_id: int
    kind: str
    reason: str
    decided_at: datetime
    excerpt: str

    @property
    def approved(self) -> bool:
        return self.kind in (ActionKind.APPROVE, ActionKind.EDIT_APPROVE)

    @property
    def text(self) -> str:
        text = f"Your comment “{self.excerpt}” {_VERBS[ActionKind(self.kind)]}"
        return f"{text}: {self.reason}" if self.reason else f"{text}."


def decision_notes(*, viewer: Viewer, at: datetime | None = None) -> list[DecisionNote]:
    """The viewer's recent decision notes: one query, none for a viewer with no identity."""
    if viewer.user is not None:
        own = Q(comment__author_id=viewer.user_id)
    elif viewer.guest_hash:
        own = Q(comment__author__isnull=True, comment__guest_key_hash=viewer.guest_hash)
    else:
        return []
    since = (at or now()) - timedelta(days=NOTE_DAYS)
    rows = (
        ModerationAction.objects.filter(
            own,
            kind__in=_KINDS,
            actor__isnull=False,
            reverted_by__isnull=True,
            created_at__gte=since,
        )
        .order_by("-created_at")
        .values_list("pk", "comment_id", "kind", "reason", "created_at", "comment__body_source")[
            :NOTE_LIMIT
        ]
    )
    return [
        DecisionNote(pk, comment_id, kind, reason, created, _excerpt(body))
        for pk, comment_id, kind, reason, created, body in rows
    ]


def _excerpt(body: str, length: int = 60) -> str:
    text = " ".join((body or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
