"""Who gets reply mail: a member's preference, and a guest's confirmed subscription.

A guest subscription covers every comment posted from one browser token with
one e-mail address (matched by the token's hash and the address's keyed hash,
both already stored on the comment), so a guest confirms once, not per comment.
Until the guest opens the confirmation link the row holds no address at all,
only a random pad; the link carries the address masked by that pad (tokens.py).
An unconfirmed row is deleted when its link expires, and with the pad gone
every copy of the link (server logs, the task queue's table) means nothing.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from broadsheet.core.clock import now
from broadsheet.discussion.models import Comment


class ReplyMail(models.TextChoices):
    REPLIES = "replies", "E-mail me when someone replies to my comments"
    NONE = "none", "Do not e-mail me about replies"


class NotificationPreference(models.Model):
    """A member's choice; no row means the default, replies."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE,
        related_name="notification_preference",
    )  # fmt: skip
    replies = models.CharField(max_length=10, choices=ReplyMail, default=ReplyMail.REPLIES)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(replies__in=ReplyMail.values), name="notificationpreference_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.replies} for user {self.user_id}"


class GuestSubscription(models.Model):
    """A guest's request for reply mail: pending (no address) until confirmed (address kept)."""

    # The address, stored only once its owner confirmed it; erased on unsubscribe.
    email = models.EmailField(max_length=254, blank=True)
    # The same keyed hash the intake stores on the guest's comments.
    email_hash = models.CharField(max_length=64)
    guest_key_hash = models.CharField(max_length=40)
    # Hex of the random bytes the pending confirmation link's address is masked with.
    email_pad = models.CharField(max_length=2048, blank=True)
    created_at = models.DateTimeField(default=now)
    # When the latest confirmation link was asked for (resends are limited by it).
    requested_at = models.DateTimeField(default=now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["guest_key_hash", "email_hash"], name="guestsubscription_one_per_guest"
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True, email="")
                | Q(confirmed_at__isnull=False, email_pad="") & ~Q(email=""),
                name="guestsubscription_email_only_when_confirmed",
            ),
        ]
        indexes = [
            models.Index(fields=["requested_at"], name="guestsubscription_requested"),
        ]

    def __str__(self) -> str:
        state = "confirmed" if self.confirmed_at else "pending"
        return f"Guest subscription {self.pk} ({state})"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class ReplyNotice(models.Model):
    """That the mail for one reply went out: the task may be enqueued by more than one path
    (publication at intake, a moderator's approval), and the replied-to reader hears once."""

    reply = models.OneToOneField(
        Comment, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"Reply notice for comment {self.reply_id}"
