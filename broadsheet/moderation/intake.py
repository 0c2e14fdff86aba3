"""The one way a comment enters a discussion.

Pages, the API, the embed and importers all call `submit_comment`. It
validates (4xx on bad input, nothing written), renders and sanitizes, runs the
check pipeline, and writes the outcome in one transaction.
"""

from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.crypto import salted_hmac

from broadsheet.accounts.models import User
from broadsheet.accounts.names import name_key
from broadsheet.accounts.viewers import Viewer
from broadsheet.core.addresses import address_hash
from broadsheet.core.clock import now
from broadsheet.core.errors import Forbidden, InvalidInput, NotFound
from broadsheet.core.markup import render_comment
from broadsheet.core.text import check_text, normalize_newlines
from broadsheet.discussion.models import Comment, CommentStatus, Thread, ThreadStatus
from broadsheet.discussion.services import (
    NewComment,
    comment_access_own,
    comment_revise,
    insert_comment,
)
from broadsheet.discussion.visibility import edit_window_open, visible_to
from broadsheet.notifications.services import (
    guest_subscription_request,
    reply_notifications_enqueue,
)

from .pipeline import DEFAULT_CHECKS, Decision, Outcome, Sample, decide

_STATUS_FOR = {
    Outcome.PUBLISH: CommentStatus.PUBLISHED,
    Outcome.HOLD: CommentStatus.HELD,
    Outcome.REJECT: CommentStatus.REJECTED,
}


@dataclass(frozen=True)
class Submitted:
    comment: Comment
    decision: Decision

    @property
    def published(self) -> bool:
        return self.comment.status == CommentStatus.PUBLISHED


def email_hash(email: str) -> str:
    return salted_hmac("broadsheet.email", email.strip().lower(), algorithm="sha256").hexdigest()


def check_body(body: str) -> str:
    body = normalize_newlines(check_text(body, field="body", label="The comment"))
    if not body.strip():
        raise InvalidInput("The comment is empty.", code="empty", field="body")
    limit = settings.BROADSHEET_COMMENT_MAX_LENGTH
    if len(body) > limit:
        raise InvalidInput(
            f"The comment is {len(body):,} characters long; the limit is {limit:,}.",
            code="too_long",
            field="body",
        )
    return body.strip()


def check_guest_name(name: str) -> str:
    name = " ".join(check_text(name, field="name", label="The name").split())
    if not name:
        raise InvalidInput("Give a name to comment as a guest.", code="name_required", field="name")
    limit = settings.BROADSHEET_GUEST_NAME_MAX_LENGTH
    if len(name) > limit:
        raise InvalidInput(
            f"The name is {len(name)} characters long; the limit is {limit}.",
            code="name_too_long",
            field="name",
        )
    key = name_key(name)
    if not key:
        raise InvalidInput(
            "The name needs at least one letter or digit.", code="name_invalid", field="name"
        )
    if User.objects.filter(name_key=key).exists():
        raise InvalidInput(
            f"“{name}” is the name of a registered member. Choose another name, or sign in.",
            code="name_taken",
            field="name",
        )
    return name


def check_guest_email(email: str) -> str:
    email = check_text(email, field="email", label="The e-mail address").strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(
            "That e-mail address is not valid.", code="email_invalid", field="email"
        ) from None
    return email


def _check_parent(thread: Thread, parent_id: int | None, viewer: Viewer) -> Comment | None:
    """The parent, if this viewer can see it: nobody answers a comment they can't read."""
    if parent_id is None:
        return None
    parent = (
        Comment.objects.filter(visible_to(viewer), pk=parent_id)
        .only("id", "thread_id", "path", "depth", "root_id", "status")
        .first()
    )
    if parent is None:
        raise NotFound("The comment you are replying to does not exist.", code="parent_missing")
    if parent.thread_id != thread.pk:
        raise InvalidInput(
            "The comment you are replying to belongs to another discussion.",
            code="parent_other_thread",
            field="parent",
        )
    if parent.depth + 1 > settings.BROADSHEET_MAX_DEPTH:
        raise InvalidInput("This conversation is too deep to reply further.", code="too_deep")
    if parent.status not in (CommentStatus.PUBLISHED, CommentStatus.HELD):
        raise InvalidInput("That comment can no longer be answered.", code="parent_gone")
    return parent


def submit_comment(
    *,
    thread: Thread,
    viewer: Viewer,
    body: str,
    parent_id: int | None = None,
    guest_name: str = "",
    guest_email: str = "",
    client_address: str = "",
    notify: bool = False,
) -> Submitted:
    """Validates, renders, checks and stores one new comment.

    `notify`: a guest asks for reply mail at `guest_email` (confirmed by a mailed link first).
    """
    body = check_body(body)
    if thread.status != ThreadStatus.OPEN:
        raise Forbidden("This discussion is closed to new comments.", code="thread_closed")
    author = viewer.user
    if author is not None:
        if not author.is_active:
            raise Forbidden("This account cannot comment.", code="account_inactive")
        if not author.email_verified:
            raise Forbidden(
                "Confirm your e-mail address to comment: follow the link we sent you.",
                code="email_unverified",
            )
        name, email = "", ""
    else:
        if not viewer.guest_key:
            raise Forbidden("Guest comments need cookies enabled.", code="no_guest_token")
        name = check_guest_name(guest_name)
        email = check_guest_email(guest_email)
        if notify and not email:
            raise InvalidInput(
                "Give your e-mail address to be notified of replies.",
                code="notify_needs_email",
                field="email",
            )
    parent = _check_parent(thread, parent_id, viewer)
    html = render_comment(body)
    sample = Sample(
        body=body,
        is_guest=author is None,
        is_reply=parent is not None,
        thread_premoderated=thread.premoderated,
        author_is_staff=bool(author and author.is_staff),
    )
    decision = decide(sample, DEFAULT_CHECKS)
    new = NewComment(
        body_source=body,
        body_html=html,
        status=_STATUS_FOR[decision.outcome],
        created_at=now(),
        author=author,
        guest_name=name,
        guest_email_hash=email_hash(email) if email else "",
        guest_key_hash=(viewer.guest_hash or "") if author is None else "",
        address_hash=address_hash(client_address) if client_address else "",
        reasons=tuple(v.as_record() for v in decision.verdicts),
    )
    with transaction.atomic():
        comment = insert_comment(thread=thread, parent=parent, new=new)
    # Reply notifications: mail is composed and sent by a task in the worker, after commit.
    submitted_comment_is_published_reply = (
        comment.parent_id is not None and comment.status == CommentStatus.PUBLISHED
    )
    if submitted_comment_is_published_reply:
        transaction.on_commit(partial(reply_notifications_enqueue, comment_id=comment.pk))
    if notify and email:
        guest_subscription_request(comment=comment, email=email)
    if author is not None:
        comment.author = author
    return Submitted(comment=comment, decision=decision)


def edit_comment(*, comment_id: int, viewer: Viewer, body: str) -> Submitted:
    """The author's edit within the window: the same checks as a new comment."""
    comment = comment_access_own(comment_id=comment_id, viewer=viewer)
    at = now()
    if not edit_window_open(comment, at=at):
        minutes = settings.BROADSHEET_EDIT_WINDOW_SECONDS // 60
        raise Forbidden(
            f"Comments can be edited for {minutes} minutes after posting.",
            code="edit_window_closed",
        )
    body = check_body(body)
    thread = comment.thread
    author = viewer.user
    sample = Sample(
        body=body,
        is_guest=author is None,
        is_reply=comment.parent_id is not None,
        thread_premoderated=thread.premoderated,
        author_is_staff=bool(author and author.is_staff),
    )
    decision = decide(sample, DEFAULT_CHECKS)
    if thread.status != ThreadStatus.OPEN:
        raise Forbidden("This discussion is closed.", code="thread_closed")
    status = _STATUS_FOR[decision.outcome]
    if comment.status == CommentStatus.HELD and status == CommentStatus.PUBLISHED:
        # An edit never releases a comment a moderator has yet to see.
        status = CommentStatus.HELD
    revised = comment_revise(
        comment=comment,
        body_source=body,
        body_html=render_comment(body),
        status=status,
        reasons=tuple(v.as_record() for v in decision.verdicts),
        edited_at=at,
    )
    return Submitted(comment=revised, decision=decision)
