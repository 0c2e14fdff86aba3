from django.core.exceptions import ValidationError
from django.db import models

from broadsheet.core.clock import now
from broadsheet.core.errors import InvalidInput

from .page_keys import TrailingSlash, normalize_host


class Site(models.Model):
    """Another site whose pages may carry the discussion: its pages get threads, its
    origins may frame the embed and call the counts endpoint from the browser."""

    name = models.CharField(max_length=200)
    trailing_slash = models.CharField(
        max_length=5,
        choices=[(t.value, t.name.title()) for t in TrailingSlash],
        default=TrailingSlash.KEEP,
        help_text="How a page address's trailing slash counts: kept as written, "
        "stripped, or added. Decide once: changing it re-keys pages.",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return self.name


class SiteDomain(models.Model):
    """One host (with its port when not the default) whose pages belong to a site."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="domains")
    host = models.CharField(
        max_length=260,
        unique=True,
        help_text="e.g. blog.example.com, or localhost:8080; lower case, no scheme or path.",
    )

    class Meta:
        ordering = ["host"]

    def __str__(self) -> str:
        return self.host

    def clean(self) -> None:
        try:
            self.host = normalize_host(self.host)
        except InvalidInput as error:
            raise ValidationError({"host": error.message}) from None
