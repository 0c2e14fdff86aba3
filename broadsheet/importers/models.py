from django.conf import settings
from django.db import models
from django.db.models import Q

from broadsheet.core.clock import now


class ImportFormat(models.TextChoices):
    AUTO = "auto", "Detect from the file"
    DISQUS = "disqus", "Disqus XML export"
    WORDPRESS = "wordpress", "WordPress export (WXR)"
    ISSO = "isso", "Isso database (SQLite)"
    JSONL = "jsonl", "Broadsheet export (JSON Lines)"
    TEXTARCHIVE = "textarchive", "Plain-text page archive"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ImportJob(models.Model):
    """One uploaded archive and its import, run by a background task; the upload page polls it."""

    format = models.CharField(max_length=20, choices=ImportFormat)
    # Under MEDIA_ROOT/imports/, with a random name; removed once the import ends.
    file_name = models.CharField(max_length=200)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    url = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    moderate = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=ImportStatus, default=ImportStatus.QUEUED)
    # "reading" (bytes) or "loading" (comments), with how far it got.
    stage = models.CharField(max_length=20, blank=True)
    processed = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(null=True, blank=True)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(default=now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["-created_at"], name="importjob_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="importjob_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.format}, {self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, int(100 * self.processed / self.total))
