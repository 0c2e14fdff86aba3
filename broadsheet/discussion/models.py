from django.conf import settings
from django.db import models
from django.db.models import Q

from broadsheet.core.clock import now


class ThreadStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed: readable, no new comments"
    HIDDEN = "hidden", "Hidden: not shown"


class Thread(models.Model):
    """One discussion, keyed by the canonical URL of the page it sits under."""

    key = models.CharField(max_length=500, unique=True)
    title = models.CharField(max_length=300, blank=True)
    # What the discussion is about, in words: its story's opening (set with the article).
    # The intake's off-topic check compares comments with it; empty: not judged.
    topic = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=ThreadStatus, default=ThreadStatus.OPEN)
    premoderated = models.BooleanField(
        default=False, help_text="Hold every new comment for a moderator."
    )
    # What a guest reader can see: published comments only.
    comment_count = models.PositiveIntegerField(default=0)
    top_level_count = models.PositiveIntegerField(default=0)
    # Position counter: each comment takes the next value (see positions.py).
    last_seq = models.PositiveBigIntegerField(default=0)
    # Bumped on every change a reader could see; cache keys include it.
    version = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return self.title or self.key

    @property
    def accepts_comments(self) -> bool:
        return self.status == ThreadStatus.OPEN


class CommentStatus(models.TextChoices):
    PUBLISHED = "published", "Published"
    HELD = "held", "Held for moderation"
    REJECTED = "rejected", "Rejected"
    SPAM = "spam", "Spam"
    DELETED = "deleted", "Deleted"


class Comment(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.RESTRICT, related_name="replies"
    )
    # Materialized path: one fixed-width segment per level (positions.py). A
    # subtree is a path-prefix range; ordering by path gives display order.
    path = models.CharField(max_length=2000)
    depth = models.PositiveSmallIntegerField(default=0)
    # The top-level comment this reply hangs under; null on top-level comments.
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+",
        db_constraint=False,
    )  # fmt: skip
    seq = models.PositiveBigIntegerField()

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="comments",
    )  # fmt: skip
    guest_name = models.CharField(max_length=100, blank=True)
    # Hash of the guest's e-mail (for bans); the address itself is kept only
    # for reply notifications the guest confirmed.
    guest_email_hash = models.CharField(max_length=64, blank=True)
    guest_key_hash = models.CharField(max_length=40, blank=True)
    address_hash = models.CharField(max_length=32, blank=True, db_index=True)

    body_source = models.TextField()
    body_html = models.TextField()
    status = models.CharField(max_length=10, choices=CommentStatus, default=CommentStatus.PUBLISHED)
    # Why the pipeline held or rejected it: [{"check": ..., "reason": ..., "score": ...}]
    moderation_reasons = models.JSONField(default=list, blank=True)

    created_at = models.DateTimeField(default=now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Vote tallies and the orders derived from them (sorts.py), kept by the
    # vote service under the comment's row lock.
    upvotes = models.PositiveIntegerField(default=0)
    downvotes = models.PositiveIntegerField(default=0)
    net_score = models.IntegerField(default=0)
    best_score = models.FloatField(default=0.0)
    controversy = models.FloatField(default=0.0)
    # Shown as published to its author only (the author is shadow-banned).
    shadowed = models.BooleanField(default=False)
    # An editor's pick.
    featured = models.BooleanField(default=False)
    # Sum of open flags' weights; past the threshold the comment is held.
    flag_weight = models.FloatField(default=0.0)
    # SimHash of the text (moderation.fingerprints), signed; null when too short to compare.
    simhash = models.BigIntegerField(null=True, blank=True)
    # How likely the comment needs a moderator (0..1, the pipeline's strongest hold or reject
    # score); the moderation queue is ordered by it.
    risk = models.FloatField(default=0.0)
    # Source id for imported comments, so that a second import adds nothing.
    # NULL, not "", for the others: the unique constraint skips NULLs.
    import_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001

    class Meta:
        permissions = [("moderate_comment", "Can moderate comments")]
        indexes = [
            models.Index(fields=["thread", "path"], name="comment_thread_path"),
            models.Index(fields=["thread", "depth", "seq"], name="comment_thread_toplevel"),
            models.Index(fields=["root", "path"], name="comment_root_path"),
            models.Index(fields=["thread", "depth", "-net_score"], name="comment_thread_top"),
            models.Index(fields=["thread", "depth", "-best_score"], name="comment_thread_best"),
            models.Index(
                fields=["thread", "depth", "-controversy"], name="comment_thread_controversial"
            ),
            models.Index(fields=["status", "created_at"], name="comment_status_created"),
            models.Index(fields=["status", "-risk"], name="comment_status_risk"),
            # An author's comments by status (the intake's "first comment?", their
            # history in the queue). With only single-column indexes SQLite's planner,
            # without statistics, walked every published comment to find a guest's.
            models.Index(fields=["guest_key_hash", "status"], name="comment_guest_status"),
            models.Index(fields=["author", "status"], name="comment_author_status"),
            # The intake's near-duplicate search (moderation/fingerprints.py): the
            # newest fingerprinted comments overall (covering: the flood window is read
            # from the index alone), and the author's own.
            models.Index(
                fields=["-created_at", "thread", "simhash"],
                condition=Q(simhash__isnull=False),
                name="comment_fingerprint_window",
            ),
            models.Index(
                fields=["guest_key_hash", "-created_at"],
                condition=Q(simhash__isnull=False),
                name="comment_fingerprint_guest",
            ),
            models.Index(
                fields=["author", "-created_at"],
                condition=Q(simhash__isnull=False),
                name="comment_fingerprint_author",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["thread", "seq"], name="comment_thread_seq_unique"),
            models.UniqueConstraint(fields=["thread", "path"], name="comment_thread_path_unique"),
            models.UniqueConstraint(
                fields=["thread", "import_key"],
                name="comment_import_key_unique",
                condition=Q(import_key__isnull=False),
            ),
            models.CheckConstraint(
                condition=Q(author__isnull=False) | ~Q(guest_name=""),
                name="comment_has_author_or_guest_name",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, depth=0) | Q(parent__isnull=False, depth__gt=0),
                name="comment_depth_matches_parent",
            ),
            models.CheckConstraint(
                condition=Q(status__in=CommentStatus.values), name="comment_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.thread_id}"

    @property
    def is_guest(self) -> bool:
        return self.author_id is None

    @property
    def display_name(self) -> str:
        return self.author.display_name if self.author_id else self.guest_name


class VoteValue(models.IntegerChoices):
    UP = 1, "Up"
    DOWN = -1, "Down"


class Vote(models.Model):
    """One voter's vote on one comment: a signed-in user, or a guest by their token's hash."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
        related_name="votes",
    )  # fmt: skip
    guest_key_hash = models.CharField(max_length=40, blank=True)
    value = models.SmallIntegerField(choices=VoteValue)
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"],
                condition=Q(user__isnull=False),
                name="vote_one_per_user",
            ),
            models.UniqueConstraint(
                fields=["comment", "guest_key_hash"],
                condition=Q(user__isnull=True),
                name="vote_one_per_guest",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False, guest_key_hash="")
                | Q(user__isnull=True) & ~Q(guest_key_hash=""),
                name="vote_has_one_voter",
            ),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="vote_value_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.value:+d} on comment {self.comment_id}"


class EventKind(models.TextChoices):
    CREATED = "created", "Comment published"
    EDITED = "edited", "Comment edited"
    REMOVED = "removed", "Comment deleted or removed"


class ThreadEvent(models.Model):
    """What live readers of a thread are told, in order; a reconnecting reader
    resumes after the last id it saw (SSE's Last-Event-ID)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=EventKind)
    # No foreign key: the event outlives a comment that was deleted outright.
    comment_id = models.BigIntegerField()
    parent_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [models.Index(fields=["thread", "id"], name="threadevent_thread_id")]

    def __str__(self) -> str:
        return f"{self.kind} {self.comment_id} in thread {self.thread_id}"
