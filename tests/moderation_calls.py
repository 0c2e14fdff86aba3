"""Posting through the intake in moderation tests: one guest or member, one address.
tests/ is not a package: test modules import this as `moderation_calls`."""

from broadsheet.accounts.viewers import Viewer
from broadsheet.discussion import selectors
from broadsheet.discussion.models import Thread
from broadsheet.moderation.intake import submit_comment

CIVIL = "The ferry timetable matters more than the market, and the minutes say so clearly."
ADDRESS = "203.0.113.9"


def post(thread, viewer, body=CIVIL, *, name="Pat Guest", address=ADDRESS, **fields):
    if viewer.user is None:
        fields.setdefault("guest_name", name)
    return submit_comment(thread=thread, viewer=viewer, body=body, client_address=address, **fields)


def guest(key: str) -> Viewer:
    return Viewer(guest_key=key)


def refresh(thread: Thread) -> Thread:
    thread.refresh_from_db()
    return thread


def visible_ids(thread: Thread, viewer: Viewer) -> list[int]:
    page = selectors.thread_page(thread=thread, viewer=viewer)
    return [n.comment.pk for root in page.roots for n in root.walk()]
