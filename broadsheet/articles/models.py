from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from broadsheet.core.clock import now
from broadsheet.discussion.models import Thread


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("web:tag", kwargs={"slug": self.slug})


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Article(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    dek = models.CharField("dek (standfirst)", max_length=400, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="articles"
    )
    body_source = models.TextField("body (Markdown)")
    body_html = models.TextField(editable=False)
    image_url = models.URLField(blank=True, help_text="Lead image, shown in link previews.")
    status = models.CharField(max_length=10, choices=ArticleStatus, default=ArticleStatus.DRAFT)
    # A future time schedules the article: it stays off the site until then.
    published_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    thread = models.OneToOneField(Thread, on_delete=models.PROTECT, related_name="article")

    class Meta:
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ArticleStatus.values), name="article_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("web:article", kwargs={"slug": self.slug})

    @property
    def is_live(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED and self.published_at <= now()
