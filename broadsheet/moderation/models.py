"""Moderation records: decisions (the audit log), bans, standing and trust, flags, mutes,
policies and word lists. Writes go through the moderation services, never save() here."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from broadsheet.core.clock import now
from broadsheet.discussion.models import Comment, Thread


class ActionKind(models.TextChoices):
    APPROVE = "approve", "Approved"
    REJECT = "reject", "Rejected"
    MARK_SPAM = "spam", "Marked as spam"
    EDIT_APPROVE = "edit_approve", "Edited and approved"
    FEATURE = "feature", "Featured"
    UNFEATURE = "unfeature", "Unfeatured"
    BAN = "ban", "Banned"
    UNBAN = "unban", "Ban lifted"
    SUSPEND = "suspend", "Suspended"
    SHADOW_BAN = "shadow_ban", "Shadow-banned"
    UNSHADOW_BAN = "unshadow_ban", "Shadow-ban lifted"
    FLAGS_DISMISS = "flags_dismiss", "Flags dismissed"
    ROLE_GRANT = "role_grant", "Moderator role granted"
    ROLE_REVOKE = "role_revoke", "Moderator role removed"
    RESCORE = "rescore", "Re-scored"
    REVERT = "revert", "Reverted"


class ModerationAction(models.Model):
    """One entry of the audit log: who did what to whom, why, and how to undo it."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="moderation_actions",
    )  # fmt: skip
    kind = models.CharField(max_length=20, choices=ActionKind)
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="moderation_actions"
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="moderation_actions_received",
    )  # fmt: skip
    target_address_hash = models.CharField(max_length=32, blank=True)
    target_email_hash = models.CharField(max_length=64, blank=True)
    reason = models.TextField(blank=True)
    # What the action changed, so it can be reverted: {"status": [before, after], ...}
    change = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=now, db_index=True)
    reverted_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reverts"
    )

    class Meta:
        indexes = [
            models.Index(fields=["kind", "-created_at"], name="modaction_kind_created"),
            models.Index(fields=["target_user", "-created_at"], name="modaction_user_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.actor_id or 'system'}"


class BanKind(models.TextChoices):
    USER = "user", "Account"
    ADDRESS = "address", "Address hash"
    EMAIL = "email", "Guest e-mail hash"


class Ban(models.Model):
    """A ban on an account, an address hash or a guest e-mail hash; it may expire."""

    kind = models.CharField(max_length=10, choices=BanKind)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="bans",
    )
    value_hash = models.CharField(max_length=64, blank=True, db_index=True)
    reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField(null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="user", user__isnull=False)
                | Q(kind__in=["address", "email"], user__isnull=True) & ~Q(value_hash=""),
                name="ban_target_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ban {self.pk}"


class UserStanding(models.Model):
    """A registered commenter's standing: trust level, suspension, shadow-ban, history counts."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="standing",
    )
    # 0 new, 1 basic, 2 member, 3 trusted, 4 leader (see trust.py).
    trust_level = models.PositiveSmallIntegerField(default=0)
    approved_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    upheld_flags_count = models.PositiveIntegerField(default=0)
    suspended_until = models.DateTimeField(null=True, blank=True)
    shadow_banned = models.BooleanField(default=False)
    # Muted by moderators: may read, may not post.
    muted = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"Standing of {self.user_id}: trust {self.trust_level}"


class FlagReason(models.TextChoices):
    SPAM = "spam", "Spam"
    ABUSE = "abuse", "Abuse or harassment"
    HATE = "hate", "Hate"
    OFF_TOPIC = "off_topic", "Off-topic"
    OTHER = "other", "Other"


class FlagResolution(models.TextChoices):
    OPEN = "open", "Open"
    UPHELD = "upheld", "Upheld"
    DISMISSED = "dismissed", "Dismissed"


class Flag(models.Model):
    """A reader's report on a comment; one per reader per comment, weighted by trust."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="flags",
    )
    reporter_guest_hash = models.CharField(max_length=40, blank=True)
    reason = models.CharField(max_length=10, choices=FlagReason)
    note = models.CharField(max_length=500, blank=True)
    weight = models.FloatField(default=1.0)
    resolution = models.CharField(
        max_length=10, choices=FlagResolution, default=FlagResolution.OPEN
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                condition=Q(reporter__isnull=False),
                name="flag_one_per_user",
            ),
            models.UniqueConstraint(
                fields=["comment", "reporter_guest_hash"],
                condition=Q(reporter__isnull=True),
                name="flag_one_per_guest",
            ),
        ]
        indexes = [models.Index(fields=["resolution", "-created_at"], name="flag_open_recent")]

    def __str__(self) -> str:
        return f"{self.reason} flag on {self.comment_id}"


class Mute(models.Model):
    """A reader's choice to collapse one commenter's comments, for that reader only."""

    muter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    muter_guest_hash = models.CharField(max_length=40, blank=True)
    muted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # A guest commenter is muted by their token's hash.
    muted_guest_hash = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        # One mute per reader (an account or a guest token) per commenter (the same).
        constraints = [
            models.UniqueConstraint(
                fields=["muter", "muted_user"],
                condition=Q(muter__isnull=False, muted_user__isnull=False),
                name="mute_user_user_unique",
            ),
            models.UniqueConstraint(
                fields=["muter", "muted_guest_hash"],
                condition=Q(muter__isnull=False) & ~Q(muted_guest_hash=""),
                name="mute_user_guest_unique",
            ),
            models.UniqueConstraint(
                fields=["muter_guest_hash", "muted_user"],
                condition=~Q(muter_guest_hash="") & Q(muted_user__isnull=False),
                name="mute_guest_user_unique",
            ),
            models.UniqueConstraint(
                fields=["muter_guest_hash", "muted_guest_hash"],
                condition=~Q(muter_guest_hash="") & ~Q(muted_guest_hash=""),
                name="mute_guest_guest_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"Mute {self.pk}"


class PolicyMode(models.TextChoices):
    NONE = "none", "Publish at once unless a check holds it"
    ALL = "all", "Pre-moderate every comment"
    GUESTS = "guests", "Pre-moderate guests"
    FIRST_K = "first_k", "Pre-moderate a user's first comments"
    LINKS = "links", "Pre-moderate comments with links"


class ModerationPolicy(models.Model):
    """The site-wide policy (thread null) or one discussion's override."""

    thread = models.OneToOneField(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="policy"
    )
    mode = models.CharField(max_length=10, choices=PolicyMode, default=PolicyMode.NONE)
    first_k = models.PositiveSmallIntegerField(default=3)
    auto_close_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # Lowers the hold thresholds of the content checks.
    sensitive = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mode"], condition=Q(thread__isnull=True), name="policy_one_site_wide"
            ),
        ]

    def __str__(self) -> str:
        return f"Policy {self.mode} for {self.thread_id or 'the site'}"


class TermKind(models.TextChoices):
    BANNED = "banned", "Banned: reject"
    SUSPECT = "suspect", "Suspect: hold"


class Term(models.Model):
    """A moderator-edited word or phrase, matched after normalization (classifiers.wordlists)."""

    kind = models.CharField(max_length=10, choices=TermKind)
    text = models.CharField(max_length=100)
    category = models.CharField(max_length=20, default="abuse")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "text"], name="term_unique")]

    def __str__(self) -> str:
        return self.text


class RateCounter(models.Model):
    """One key's hits in its current fixed window (moderation/ratelimits.py).

    A row per limit and key (an address hash, a user, a guest token's hash), reused
    from window to window; stale rows are purged as hits arrive.
    """

    counter_key = models.CharField(max_length=255, primary_key=True)
    # Epoch seconds at which the counted window began, and after which the row is stale.
    window_start = models.BigIntegerField()
    hits = models.PositiveIntegerField()
    expires_at = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"{self.counter_key}: {self.hits}"
