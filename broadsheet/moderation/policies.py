"""Which policy applies to a discussion: its own override, else the site-wide row, else none.

Modes: none (the default: published unless a check holds it), all, guests,
first_k (a user's first K comments) and links. `auto_close_days` closes a
discussion N days after it opened (treated as closed by the intake); `sensitive`
lowers the content checks' hold thresholds.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from broadsheet.core import sql
from broadsheet.core.clock import now
from broadsheet.discussion.models import Thread, ThreadStatus
from broadsheet.discussion.services import thread_touch

from .models import ModerationPolicy, PolicyMode
from .pipeline import PolicyView


@dataclass(frozen=True)
class ThreadPolicy:
    view: PolicyView
    auto_close_days: int | None = None

    def closes_at(self, thread: Thread) -> datetime | None:
        if not self.auto_close_days:
            return None
        return thread.created_at + timedelta(days=self.auto_close_days)

    def auto_closed(self, thread: Thread, *, at: datetime) -> bool:
        closes = self.closes_at(thread)
        return closes is not None and at >= closes


def takes_comments(thread: Thread) -> bool:
    """Open to new comments: not closed by an editor nor by the policy's auto-close.

    Pages use it to leave out the form; the intake refuses a post either way."""
    if thread.status != ThreadStatus.OPEN:
        return False
    return not policy_for(thread).auto_closed(thread, at=now())


def policy_for(thread: Thread) -> ThreadPolicy:
    """One query: the thread's own row wins over the site-wide one (plain SQL: it runs for
    every comment and every page, core/sql.py)."""
    rows = sql.rows(
        "SELECT thread_id, mode, first_k, sensitive, auto_close_days "  # noqa: S608
        f"FROM {sql.table(ModerationPolicy)} WHERE thread_id = %s OR thread_id IS NULL",
        [thread.pk],
    )
    own = next((r for r in rows if r[0] is not None), None)
    site = next((r for r in rows if r[0] is None), None)
    row = own or site
    if row is None:
        return ThreadPolicy(PolicyView())
    _, mode, first_k, sensitive, auto_close_days = row
    return ThreadPolicy(
        PolicyView(mode=str(mode), first_k=first_k, sensitive=bool(sensitive)),
        auto_close_days=auto_close_days,
    )


def policy_set(
    *,
    thread: Thread | None = None,
    mode: PolicyMode | str = PolicyMode.NONE,
    first_k: int = 3,
    auto_close_days: int | None = None,
    sensitive: bool = False,
) -> ModerationPolicy:
    """Sets the site-wide policy (thread None) or one discussion's override."""
    policy, _ = ModerationPolicy.objects.update_or_create(
        thread=thread,
        defaults={
            "mode": PolicyMode(mode),
            "first_k": first_k,
            "auto_close_days": auto_close_days,
            "sensitive": sensitive,
            "updated_at": now(),
        },
    )
    if thread is not None:
        # Its form and notices may change; a site-wide change reaches cached pages
        # within their lifetime (PAGE_TTL_SECONDS).
        thread_touch(thread_id=thread.pk)
    return policy
