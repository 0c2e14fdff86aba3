"""Who is looking: every read takes a Viewer, since what a moderator sees differs from a guest."""

from dataclasses import dataclass, field
from functools import cached_property

from .guests import guest_key_hash
from .models import User

MODERATE_PERMISSION = "discussion.moderate_comment"


@dataclass(frozen=True)
class Viewer:
    user: User | None = None
    guest_key: str | None = field(default=None, repr=False)

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @cached_property
    def is_moderator(self) -> bool:
        return (
            self.user is not None
            and self.user.is_active
            and self.user.has_perm(MODERATE_PERMISSION)
        )

    @cached_property
    def guest_hash(self) -> str | None:
        return guest_key_hash(self.guest_key) if self.guest_key else None

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user else None


ANONYMOUS = Viewer()
