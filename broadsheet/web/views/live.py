"""Live updates for a thread's readers: a Server-Sent Events stream and one-comment fragments.

The stream says only *what* changed (kind, comment id, parent id, the
thread's count); the page then fetches the comment's HTML for its own
viewer, so the stream carries no per-viewer markup and stays cheap.
"""

import json
import time
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from broadsheet.accounts.viewers import Viewer
from broadsheet.core.clock import now
from broadsheet.core.errors import BroadsheetError, InvalidInput
from broadsheet.discussion import live, selectors
from broadsheet.discussion.trees import CommentNode
from broadsheet.discussion.visibility import edit_window_open, is_own, shows_body
from broadsheet.web.client import viewer_for
from broadsheet.web.comment_html import render_comments
from broadsheet.web.errors import domain_error_response
from broadsheet.web.views.discussion import collapse_muted, form_context

# Tells EventSource how soon to reconnect after the stream ends or breaks.
RETRY_MILLISECONDS = 2000


def _resume_point(request: HttpRequest, thread_id: int) -> int:
    """Last-Event-ID (a reconnect), else ?after= (an event id), else ?since= (the page's
    render time, Unix seconds), else now: the first event the reader hasn't seen follows it."""
    for value in (request.headers.get("Last-Event-ID"), request.GET.get("after")):
        if value:
            if not value.isdigit():
                raise InvalidInput("The event id to resume after is not a number.", code="after")
            return int(value)
    since = request.GET.get("since")
    if since:
        try:
            before = float(since)
        except ValueError:
            raise InvalidInput("'since' is a Unix time in seconds.", code="since") from None
        if before != before or not 0 <= before < 1e11:  # NaN, or out of any sane range
            raise InvalidInput("'since' is a Unix time in seconds.", code="since")
        return live.latest_event_id(thread_id=thread_id, before=before)
    return live.latest_event_id(thread_id=thread_id)


def _open(request: HttpRequest, thread_id: int) -> tuple[Viewer, int] | HttpResponse:
    """The sync part (session, user, thread, resume point), run in a thread from the async view."""
    viewer = viewer_for(request)
    try:
        selectors.thread_get(thread_id=thread_id, viewer=viewer)
        return viewer, _resume_point(request, thread_id)
    except BroadsheetError as error:
        return domain_error_response(request, error)


def _frame(event: dict, comment_count: int) -> str:
    data = {
        "kind": event["kind"],
        "comment_id": event["comment_id"],
        "parent_id": event["parent_id"],
        "comment_count": comment_count,
    }
    return f"id: {event['id']}\nevent: {event['kind']}\ndata: {json.dumps(data)}\n\n"


async def _stream(thread_id: int, viewer: Viewer, after_id: int) -> AsyncIterator[str]:
    """Events until the lifetime ends (the browser then reconnects with Last-Event-ID).

    A client that goes away cancels this generator at its current await
    (asyncio.CancelledError), which ends the wait and its subscription.
    """
    lifetime = settings.BROADSHEET_LIVE_STREAM_SECONDS
    heartbeat = settings.BROADSHEET_LIVE_HEARTBEAT_SECONDS
    ends = time.monotonic() + lifetime
    filter_events = sync_to_async(live.events_for_viewer)
    yield f"retry: {RETRY_MILLISECONDS}\n: live updates for thread {thread_id}\n\n"
    while (remaining := ends - time.monotonic()) > 0:
        events = await live.wait_for_events(
            thread_id=thread_id, after_id=after_id, timeout=min(heartbeat, remaining)
        )
        if not events:
            yield ": keep-alive\n\n"
            continue
        told = await filter_events(thread_id=thread_id, events=events, viewer=viewer)
        frames = [_frame(event, told["comment_count"]) for event in told["events"]]
        after_id = events[-1]["id"]
        if not told["events"] or told["events"][-1]["id"] != after_id:
            # An id with no data moves the browser's resume point past events it may not see.
            frames.append(f"id: {after_id}\n\n")
        yield "".join(frames)


@require_GET
async def thread_events(request: HttpRequest, thread_id: int) -> HttpResponse:
    opened = await sync_to_async(_open)(request, thread_id)
    if isinstance(opened, HttpResponse):
        return opened
    viewer, after_id = opened
    response = StreamingHttpResponse(
        _stream(thread_id, viewer, after_id), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache"
    # nginx (and proxies that honour it) must pass each event on, not buffer the stream.
    response["X-Accel-Buffering"] = "no"
    return response


@require_GET
def comment_fragment(request: HttpRequest, comment_id: int) -> HttpResponse:
    """One comment's `li` as this viewer sees it, for the live script to insert or replace."""
    viewer = viewer_for(request)
    try:
        comment = selectors.comment_get(comment_id=comment_id, viewer=viewer)
    except BroadsheetError as error:
        return domain_error_response(request, error)
    own = is_own(comment, viewer)
    node = CommentNode(
        comment=comment,
        indent=0,
        show_body=shows_body(comment, viewer),
        is_own=own,
        can_edit=own and edit_window_open(comment, at=now()),
        my_vote=selectors.votes_of(viewer, [comment.pk]).get(comment.pk, 0),
    )
    collapse_muted(viewer, [node])
    if comment.depth > settings.BROADSHEET_MAX_INDENT and comment.parent_id:
        # Past the indentation cap the page lists it beside its parent, so it says whom it answers.
        node.replying_to = comment.parent.display_name
    html = render_comments(node, form_context(request, comment.thread), request)
    response = HttpResponse(html)
    response["Cache-Control"] = "private, no-cache"
    return response
