"""The one way a comment enters a discussion.

Pages, the API, the embed and importers all call `submit_comment`. It
validates (4xx on bad input, nothing written), renders and sanitizes, gathers
what the checks need (account state, rate counts, policy, fingerprints, word
lists), runs the check pipeline (checks.py), and writes the outcome in one
transaction.

Outcomes: publish; hold (the author sees "awaiting moderation"); reject, which
is a successful submission: the comment is stored with status rejected and its
reasons, and `Submitted.message` is what the commenter is shown. A refusal is
different: a ban, suspension, mute, rate limit or double post stores nothing
and raises a domain error (403, 429, 409), so a banned or flooding client can't
fill the database. Nothing here waits on anything slow: the checks are pure and
take a few milliseconds. The one slow check, the reader model, runs in the worker after
a published comment commits (reader_check.py) and can hold it after the fact.
"""

from collections.abc import Sequence
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
from broadsheet.core import sql
from broadsheet.core.addresses import address_hash
from broadsheet.core.clock import now
from broadsheet.core.errors import BroadsheetError, Conflict, Forbidden, InvalidInput, NotFound
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

from . import ratelimits
from .checks import CONTENT_CHECKS, DEFAULT_CHECKS, EDIT_CHECKS
from .fingerprints import authored_by, fingerprint, recent_fingerprints, to_column
from .pipeline import Check, Decision, Outcome, Sample, decide
from .policies import ThreadPolicy, policy_for
from .reader_check import reader_check_enabled, reader_check_enqueue
from .standing import account_state
from .terms import term_list

_STATUS_FOR = {
    Outcome.PUBLISH: CommentStatus.PUBLISHED,
    Outcome.HOLD: CommentStatus.HELD,
    Outcome.REJECT: CommentStatus.REJECTED,
}


class RateLimited(BroadsheetError):
    status = 429
    code = "rate_limited"


@dataclass(frozen=True)
class Submitted:
    comment: Comment
    decision: Decision

    @property
    def published(self) -> bool:
        return self.comment.status == CommentStatus.PUBLISHED

    @property
    def rejected(self) -> bool:
        return self.comment.status == CommentStatus.REJECTED

    @property
    def message(self) -> str:
        """What the commenter is told about a rejection (empty otherwise)."""
        if not self.rejected:
            return ""
        return self.decision.message or "This comment can't be published here."


def _refuse(decision: Decision) -> None:
    """Raises the domain error of a refusing verdict; nothing has been written."""
    refusal = decision.refusal
    if refusal is None:
        return
    error: type[BroadsheetError] = Forbidden
    if refusal.status == 429:
        error = RateLimited
    elif refusal.status == 409:
        error = Conflict
    raise error(refusal.message, code=refusal.code or None)


def _prior_published(*, author: User | None, guest_hash: str, enough: int) -> int:
    """The author's published comments so far, counted up to `enough`: the checks only ask
    "none yet?" and, under a first-K policy, "fewer than K?" (a prolific author's count
    would otherwise read hundreds of rows per post). Plain SQL (core/sql.py)."""
    mine, params = authored_by(author, guest_hash)
    if not mine:
        return 0
    found = sql.rows(
        f"SELECT id FROM {sql.table(Comment)} WHERE {mine} AND status = %s LIMIT %s",  # noqa: S608
        [*params, CommentStatus.PUBLISHED.value, enough],
    )
    return len(found)


def build_sample(
    *,
    thread: Thread,
    body: str,
    author: User | None,
    guest_hash: str,
    addr_hash: str,
    mail_hash: str,
    is_reply: bool,
    count_rate: bool,
    exclude_id: int | None = None,
    policy: ThreadPolicy | None = None,
) -> Sample:
    """Everything the checks need, as plain values: a fixed handful of queries."""
    at = now()
    policy = policy or policy_for(thread)
    account = account_state(user=author, address_hash=addr_hash, email_hash=mail_hash, at=at)
    rates = ()
    if count_rate:
        author_key = f"user:{author.pk}" if author is not None else f"guest:{guest_hash}"
        rates = ratelimits.hit_all(
            address_hash=addr_hash, author_key=author_key, thread_id=thread.pk, at=at.timestamp()
        )
    enough = max(1, policy.view.first_k) if policy.view.mode == "first_k" else 1
    prior = _prior_published(author=author, guest_hash=guest_hash, enough=enough)
    simhash = fingerprint(body)
    own, others = (), ()
    if simhash:
        own, others = recent_fingerprints(
            user=author, guest_key_hash=guest_hash, thread_id=thread.pk, at=at,
            exclude_id=exclude_id,
        )  # fmt: skip
    return Sample(
        body=body,
        is_guest=author is None,
        is_reply=is_reply,
        thread_premoderated=thread.premoderated,
        author_is_staff=bool(author and author.is_staff),
        account=account,
        rates=rates,
        policy=policy.view,
        prior_published=prior,
        first_comment=prior == 0,
        thread_id=thread.pk,
        simhash=simhash,
        own_recent=own,
        others_recent=others,
        terms=term_list(),
        at=at,
        topic_title=thread.title,
        topic_text=thread.topic,
        reader_after=reader_check_enabled(),
    )


def _check_open(thread: Thread) -> ThreadPolicy:
    """Closed by an editor, or by the policy's auto-close after N days."""
    if thread.status != ThreadStatus.OPEN:
        raise Forbidden("This discussion is closed to new comments.", code="thread_closed")
    policy = policy_for(thread)
    if policy.auto_closed(thread, at=now()):
        raise Forbidden(
            f"This discussion closed {policy.auto_close_days} days after it "
            "opened; it takes no new comments.",
            code="thread_closed",
        )
    return policy


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
    taken = sql.rows(f"SELECT 1 FROM {sql.table(User)} WHERE name_key = %s LIMIT 1", [key])  # noqa: S608
    if taken:
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
    checks: Sequence[Check] = DEFAULT_CHECKS,
) -> Submitted:
    """Validates, renders, checks and stores one new comment.

    `notify`: a guest asks for reply mail at `guest_email` (confirmed by a mailed link first).
    `client_address`: as the edge resolved it (trusted proxies only); kept as a keyed hash.
    """
    body = check_body(body)
    policy = _check_open(thread)
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
    guest_hash = (viewer.guest_hash or "") if author is None else ""
    addr_hash = address_hash(client_address) if client_address else ""
    mail_hash = email_hash(email) if email else ""
    sample = build_sample(
        thread=thread, body=body, author=author, guest_hash=guest_hash, addr_hash=addr_hash,
        mail_hash=mail_hash, is_reply=parent is not None, count_rate=True, policy=policy,
    )  # fmt: skip
    decision = decide(sample, checks)
    _refuse(decision)
    new = NewComment(
        body_source=body,
        body_html=html,
        status=_STATUS_FOR[decision.outcome],
        created_at=now(),
        author=author,
        guest_name=name,
        guest_email_hash=mail_hash,
        guest_key_hash=guest_hash,
        address_hash=addr_hash,
        reasons=tuple(v.as_record() for v in decision.verdicts),
        shadowed=sample.account.shadow_banned,
        simhash=to_column(sample.simhash) if sample.simhash else None,
        risk=decision.risk,
    )
    with transaction.atomic():
        comment = insert_comment(thread=thread, parent=parent, new=new)
        reader_check_enqueue(comment)
    # Reply notifications: mail is composed and sent by a task in the worker, after commit.
    submitted_comment_is_published_reply = (
        comment.parent_id is not None
        and comment.status == CommentStatus.PUBLISHED
        and not comment.shadowed
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
    if thread.status != ThreadStatus.OPEN:
        raise Forbidden("This discussion is closed.", code="thread_closed")
    sample = build_sample(
        thread=thread, body=body, author=author, guest_hash=comment.guest_key_hash,
        addr_hash=comment.address_hash, mail_hash=comment.guest_email_hash,
        is_reply=comment.parent_id is not None, count_rate=False, exclude_id=comment.pk,
    )  # fmt: skip
    decision = decide(sample, EDIT_CHECKS)
    _refuse(decision)
    status = _STATUS_FOR[decision.outcome]
    if comment.status == CommentStatus.HELD and status == CommentStatus.PUBLISHED:
        # An edit never releases a comment a moderator has yet to see.
        status = CommentStatus.HELD
    with transaction.atomic():
        revised = comment_revise(
            comment=comment,
            body_source=body,
            body_html=render_comment(body),
            status=status,
            reasons=tuple(v.as_record() for v in decision.verdicts),
            edited_at=at,
            simhash=to_column(sample.simhash) if sample.simhash else None,
            risk=decision.risk,
        )
        reader_check_enqueue(revised)
    return Submitted(comment=revised, decision=decision)


def moderator_revise(*, comment: Comment, body: str) -> Comment:
    """A moderator's edit-and-approve: the new text passes the content checks, then is published.

    Called by `services.comment_edit_approve`, which logs it. A rejecting check
    refuses the edit (InvalidInput with the check's message); a hold is the
    moderator's to overrule.
    """
    body = check_body(body)
    thread = comment.thread
    sample = Sample(
        body=body,
        is_guest=comment.author_id is None,
        is_reply=comment.parent_id is not None,
        thread_premoderated=False,
        policy=policy_for(thread).view,
        terms=term_list(),
        thread_id=thread.pk,
        at=now(),
        topic_title=thread.title,
        topic_text=thread.topic,
    )
    decision = decide(sample, CONTENT_CHECKS)
    if decision.outcome == Outcome.REJECT:
        raise InvalidInput(
            f"The edited text would be rejected: {decision.message}", code="edit_rejected"
        )
    simhash = fingerprint(body)
    return comment_revise(
        comment=comment,
        body_source=body,
        body_html=render_comment(body),
        status=CommentStatus.PUBLISHED,
        reasons=(
            *comment.moderation_reasons,
            *(v.as_record() for v in decision.verdicts),
            {"check": "moderator", "outcome": "edit_approve", "reason": "", "score": 1.0},
        ),
        edited_at=now(),
        simhash=to_column(simhash) if simhash else None,
    )
