"""Notification mail, sent by the `django.tasks` worker, never inside a request.

Tasks take ids (and, for a guest's confirmation, the masked link token), and
decide in the worker: a reply that moderation removed in the meantime, a
preference switched off, or a subscription ended tells nobody.
"""

import logging

from django.db import transaction
from django.tasks import task
from django.urls import reverse

from broadsheet.accounts.mail import absolute_url
from broadsheet.discussion.models import Comment, ThreadStatus

from . import tokens
from .excerpts import excerpt_from_html, plain_text
from .mail import CONFIRM_SUBJECT, REPLY_SUBJECT, notification_mail_compose
from .models import GuestSubscription, ReplyNotice
from .selectors import reply_recipient

logger = logging.getLogger(__name__)


@task
def reply_notification_send(comment_id: int) -> None:
    """Mails the author of the comment that `comment_id` answers, at most once per reply."""
    reply = (
        Comment.objects.select_related("author", "thread", "parent", "parent__author")
        .filter(pk=comment_id)
        .first()
    )
    if reply is None or reply.thread.status == ThreadStatus.HIDDEN:
        return
    recipient = reply_recipient(reply=reply)
    if recipient is None:
        return
    unsubscribe_url = absolute_url(
        reverse("web:notification-unsubscribe", args=[recipient.unsubscribe_token])
    )
    context = {
        "name": plain_text(recipient.name),
        "replier": plain_text(reply.display_name),
        "excerpt": excerpt_from_html(reply.body_html),
        "thread_title": plain_text(reply.thread.title),
        "reply_url": absolute_url(reverse("web:comment", args=[reply.pk])),
        "is_member": reply.parent.author_id is not None,
        "preferences_url": absolute_url(reverse("web:notification-preferences")),
    }
    message = notification_mail_compose(
        template="reply",
        subject=REPLY_SUBJECT,
        to=recipient.email,
        context=context,
        unsubscribe_url=unsubscribe_url,
    )
    with transaction.atomic():
        _, created = ReplyNotice.objects.get_or_create(reply=reply)
        if not created:
            logger.info("Reply notice for comment %s was already sent.", reply.pk)
            return
        # Inside the transaction: if sending fails, the notice is not recorded.
        message.send()


@task
def guest_confirmation_send(token: str) -> None:
    """Mails a guest the link that confirms their reply subscription (double opt-in)."""
    try:
        claim = tokens.confirm_token_read(token)
    except tokens.TokenInvalid:
        return
    subscription = GuestSubscription.objects.filter(
        pk=claim.subscription_id, confirmed_at__isnull=True
    ).first()
    if subscription is None:
        return
    try:
        email = claim.email(subscription.email_pad)
    except tokens.TokenInvalid:
        logger.info("Confirmation for subscription %s was replaced; not sent.", subscription.pk)
        return
    context = {
        "link": absolute_url(reverse("web:notification-confirm", args=[token])),
        "days": tokens.CONFIRM_MAX_AGE.days,
    }
    notification_mail_compose(
        template="confirm_subscription", subject=CONFIRM_SUBJECT, to=email, context=context
    ).send()
