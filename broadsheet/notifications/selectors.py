"""Reads: a member's preference, and who (if anyone) hears about one reply."""

from dataclasses import dataclass

from broadsheet.accounts.models import User
from broadsheet.discussion.models import Comment, CommentStatus

from . import tokens
from .models import GuestSubscription, NotificationPreference, ReplyMail

# A reply to a comment its author deleted, or that moderation removed, tells nobody.
_ANSWERABLE = (CommentStatus.PUBLISHED, CommentStatus.HELD)


def reply_mail_preference(*, user: User) -> str:
    """ReplyMail value for a member: their stored choice, else the default (replies)."""
    stored = (
        NotificationPreference.objects.filter(user=user).values_list("replies", flat=True).first()
    )
    return stored or ReplyMail.REPLIES


@dataclass(frozen=True)
class ReplyRecipient:
    email: str
    # Whom the mail greets: the member's display name, or the guest's name on the comment.
    name: str
    unsubscribe_token: str


def _member_recipient(parent: Comment, reply: Comment) -> ReplyRecipient | None:
    user = parent.author
    if user is None or reply.author_id == user.pk:
        return None
    if not (user.is_active and user.email_verified):
        return None
    if reply_mail_preference(user=user) != ReplyMail.REPLIES:
        return None
    token = tokens.unsubscribe_token_make(kind=tokens.USER, id=user.pk)
    return ReplyRecipient(email=user.email, name=user.display_name, unsubscribe_token=token)


def _guest_recipient(parent: Comment, reply: Comment) -> ReplyRecipient | None:
    if not (parent.guest_key_hash and parent.guest_email_hash):
        return None
    if reply.author_id is None and reply.guest_key_hash == parent.guest_key_hash:
        return None
    subscription = GuestSubscription.objects.filter(
        guest_key_hash=parent.guest_key_hash,
        email_hash=parent.guest_email_hash,
        confirmed_at__isnull=False,
    ).first()
    if subscription is None:
        return None
    token = tokens.unsubscribe_token_make(
        kind=tokens.GUEST,
        id=subscription.pk,
        fingerprint=tokens.subscription_fingerprint(
            email_hash=subscription.email_hash, guest_key_hash=subscription.guest_key_hash
        ),
    )
    return ReplyRecipient(email=subscription.email, name=parent.guest_name, unsubscribe_token=token)


def reply_recipient(*, reply: Comment) -> ReplyRecipient | None:
    """Whom to tell about a published reply: the parent's author if they want it, else nobody.

    Never the replier themself; a member only with a verified address and the
    preference "replies"; a guest only through a confirmed subscription made
    from the same browser token with the same address as the parent comment.
    """
    parent = reply.parent
    if reply.status != CommentStatus.PUBLISHED or parent is None:
        return None
    if parent.status not in _ANSWERABLE:
        return None
    if parent.author_id is not None:
        return _member_recipient(parent, reply)
    return _guest_recipient(parent, reply)
