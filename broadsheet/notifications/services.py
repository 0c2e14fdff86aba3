"""Writes: preferences, guest subscriptions (request, confirm), unsubscribing, and the
hand-off of a new reply to the background task that mails about it.

Nothing here sends mail inside a request: mail goes out from tasks.py in the worker.
"""

from datetime import timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils.crypto import constant_time_compare

from broadsheet.accounts.models import User
from broadsheet.core.clock import now
from broadsheet.core.errors import InvalidInput
from broadsheet.discussion.models import Comment, CommentStatus

from . import tasks, tokens
from .models import GuestSubscription, NotificationPreference, ReplyMail

# One confirmation mail per guest subscription per this interval, however often they post.
CONFIRM_RESEND_INTERVAL = timedelta(minutes=10)
# Confirmation mails to one address per day, across browser tokens: anyone can type a
# stranger's address into the form, so the stranger's inbox must not fill with our links.
CONFIRM_MAILS_PER_ADDRESS_PER_DAY = 3


def reply_notifications_enqueue(*, comment_id: int) -> None:
    """Called after the commit that stored a published reply; the worker decides and sends."""
    tasks.reply_notification_send.enqueue(comment_id)


# -- members ---------------------------------------------------------------------------------------


def reply_mail_preference_set(*, user: User, replies: str) -> NotificationPreference:
    if replies not in ReplyMail.values:
        raise InvalidInput(
            "Choose whether to get e-mail about replies.",
            code="preference_invalid",
            field="replies",
        )
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"replies": replies, "updated_at": now()}
    )
    return preference


# -- guests ----------------------------------------------------------------------------------------


def guest_subscription_request(*, comment: Comment, email: str) -> None:
    """A guest ticked "notify me" on `comment`: mail a confirmation link to `email`.

    Best effort, never an error for the comment: nothing is sent when the
    comment was refused, when the subscription is already confirmed, when a
    link went out a moment ago, or when the address got its daily share of
    links. `email` was validated by the intake, which stored its keyed hash on
    the comment; the subscription is keyed by that hash and the browser token's.
    """
    if not (comment.guest_key_hash and comment.guest_email_hash and email):
        return
    if comment.status not in (CommentStatus.PUBLISHED, CommentStatus.HELD):
        return
    at = now()
    GuestSubscription.objects.filter(
        confirmed_at__isnull=True, requested_at__lt=at - tokens.CONFIRM_MAX_AGE
    ).delete()
    try:
        with transaction.atomic():
            subscription, created = GuestSubscription.objects.select_for_update().get_or_create(
                guest_key_hash=comment.guest_key_hash,
                email_hash=comment.guest_email_hash,
                defaults={"created_at": at, "requested_at": at, "email_pad": ""},
            )
            if subscription.confirmed:
                return
            if not created and subscription.requested_at > at - CONFIRM_RESEND_INTERVAL:
                return
            if not _address_allowance(comment.guest_email_hash):
                if created:
                    subscription.delete()
                return
            # A fresh pad: any earlier link for this subscription stops working.
            subscription.email_pad = tokens.pad_new(email)
            subscription.requested_at = at
            subscription.save(update_fields=["email_pad", "requested_at"])
            token = tokens.confirm_token_make(
                subscription_id=subscription.pk, email=email, pad_hex=subscription.email_pad
            )
            transaction.on_commit(lambda: tasks.guest_confirmation_send.enqueue(token))
    except IntegrityError:
        # The same guest asked twice at once; the other request sends the link.
        return


def _address_allowance(email_hash: str) -> bool:
    """True for the first few confirmation mails to one address in a day (shared cache,
    so every app process counts together)."""
    key = f"notifications:confirm-mails:{email_hash}"
    cache.add(key, 0, timeout=24 * 60 * 60)
    try:
        return cache.incr(key) <= CONFIRM_MAILS_PER_ADDRESS_PER_DAY
    except ValueError:  # expired between add and incr
        return True


def _link_error(reason: str) -> InvalidInput:
    if reason == "expired":
        return InvalidInput(
            "This link has expired. Tick “Notify me of replies” on your next comment "
            "to get a new one.",
            code="link_expired",
        )
    if reason == "replaced":
        return InvalidInput(
            "A newer link replaced this one. Use the latest message we sent.", code="link_used"
        )
    return InvalidInput(
        "This link is not valid. Check that you copied all of it.", code="link_invalid"
    )


def guest_subscription_pending(*, token: str) -> GuestSubscription:
    """The subscription a confirmation link is for, if the link is still good (for its page)."""
    try:
        claim = tokens.confirm_token_read(token)
    except tokens.TokenInvalid as error:
        raise _link_error(error.reason) from None
    subscription = GuestSubscription.objects.filter(pk=claim.subscription_id).first()
    if subscription is None:
        raise _link_error("expired")
    if not subscription.confirmed:
        try:
            claim.email(subscription.email_pad)
        except tokens.TokenInvalid as error:
            raise _link_error(error.reason) from None
    return subscription


@transaction.atomic
def guest_subscription_confirm(*, token: str) -> GuestSubscription:
    """Stores the address from a confirmation link and starts reply mail; twice is harmless."""
    try:
        claim = tokens.confirm_token_read(token)
    except tokens.TokenInvalid as error:
        raise _link_error(error.reason) from None
    subscription = (
        GuestSubscription.objects.select_for_update().filter(pk=claim.subscription_id).first()
    )
    if subscription is None:
        raise _link_error("expired")
    if subscription.confirmed:
        return subscription
    try:
        email = claim.email(subscription.email_pad)
    except tokens.TokenInvalid as error:
        raise _link_error(error.reason) from None
    subscription.email = email
    subscription.email_pad = ""
    subscription.confirmed_at = now()
    subscription.save(update_fields=["email", "email_pad", "confirmed_at"])
    return subscription


# -- unsubscribing ---------------------------------------------------------------------------------


def _claim_unsubscribe(token: str) -> tokens.UnsubscribeClaim:
    try:
        return tokens.unsubscribe_token_read(token)
    except tokens.TokenInvalid:
        raise InvalidInput(
            "This unsubscribe link is not valid. Check that you copied all of it.",
            code="link_invalid",
        ) from None


def unsubscribe_check(*, token: str) -> str:
    """Which kind of subscription a link ends (USER or GUEST), for the confirm page."""
    return _claim_unsubscribe(token).kind


@transaction.atomic
def unsubscribe(*, token: str) -> None:
    """Ends reply mail for the link's owner: a member's preference becomes "none"; a guest's
    subscription is deleted with its address. Repeating it, or an already ended one, is fine."""
    claim = _claim_unsubscribe(token)
    if claim.kind == tokens.USER:
        user = User.objects.filter(pk=claim.id).first()
        if user is not None:
            reply_mail_preference_set(user=user, replies=ReplyMail.NONE)
        return
    subscription = GuestSubscription.objects.select_for_update().filter(pk=claim.id).first()
    if subscription is None:
        return
    current = tokens.subscription_fingerprint(
        email_hash=subscription.email_hash, guest_key_hash=subscription.guest_key_hash
    )
    if constant_time_compare(current, claim.fingerprint):
        subscription.delete()
