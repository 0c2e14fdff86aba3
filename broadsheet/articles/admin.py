"""The editors' desk: articles and tags in the Django admin.

Saving an article goes through `article_save`, the one write path, so the
admin renders no Markdown and touches no thread itself: the service renders
the body, keeps the thread's key and title in step with the slug and title,
and applies the discussion settings chosen here.
"""

from django import forms
from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from broadsheet.accounts.models import User
from broadsheet.core.clock import now
from broadsheet.discussion.models import ThreadStatus

from .models import Article, ArticleStatus, Tag
from .services import article_save


class ArticleAdminForm(forms.ModelForm):
    """The article's own fields plus its discussion's settings, which live on the Thread."""

    discussion = forms.ChoiceField(
        label="Discussion",
        choices=ThreadStatus.choices,
        initial=ThreadStatus.OPEN,
        help_text="Closed keeps the comments readable but takes no new ones; hidden shows none.",
    )
    premoderated = forms.BooleanField(
        label="Pre-moderate discussion",
        required=False,
        help_text="Hold every new comment until a moderator approves it.",
    )

    class Meta:
        model = Article
        fields = [
            "title", "slug", "dek", "body_source", "image_url",
            "author", "status", "published_at", "tags",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.thread_id is not None:
            self.initial["discussion"] = self.instance.thread.status
            self.initial["premoderated"] = self.instance.thread.premoderated


class PublicationFilter(admin.SimpleListFilter):
    """Live, scheduled (published but due later) or draft: what readers see, at a glance."""

    title = "publication"
    parameter_name = "publication"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("live", "Live on the site"), ("scheduled", "Scheduled"), ("draft", "Draft")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> QuerySet[Article]:
        published = Q(status=ArticleStatus.PUBLISHED)
        match self.value():
            case "live":
                return queryset.filter(published, published_at__lte=now())
            case "scheduled":
                return queryset.filter(published, published_at__gt=now())
            case "draft":
                return queryset.filter(status=ArticleStatus.DRAFT)
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = (
        "title", "author", "status", "on_site", "published_at", "comment_count", "discussion_state",
    )  # fmt: skip
    list_select_related = ("author", "thread")
    list_filter = (
        PublicationFilter,
        "status",
        ("thread__status", admin.ChoicesFieldListFilter),
        "thread__premoderated",
        ("author", admin.RelatedOnlyFieldListFilter),
        ("tags", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("title", "dek", "slug")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "published_at"
    ordering = ("-published_at", "-pk")
    autocomplete_fields = ("tags",)
    fieldsets = (
        (None, {"fields": ("title", "slug", "dek", "body_source", "image_url")}),
        (
            "Publishing",
            {
                "fields": ("author", "status", "published_at", "tags"),
                "description": "A future publication time keeps a published article "
                "off the site until then.",
            },
        ),
        ("Discussion", {"fields": ("discussion", "premoderated")}),
    )

    @admin.display(description="comments", ordering="thread__comment_count")
    def comment_count(self, obj: Article) -> int:
        return obj.thread.comment_count

    @admin.display(description="discussion", ordering="thread__status")
    def discussion_state(self, obj: Article) -> str:
        label = obj.thread.get_status_display().split(":")[0]
        return f"{label}, pre-moderated" if obj.thread.premoderated else label

    @admin.display(description="on site", boolean=True)
    def on_site(self, obj: Article) -> bool:
        return obj.is_live

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "author":
            # Staff and people who already wrote for us, not every commenter.
            kwargs["queryset"] = (
                User.objects.filter(Q(is_staff=True) | Q(articles__isnull=False))
                .distinct()
                .order_by("display_name")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(
        self, request: HttpRequest, obj: Article, form: ArticleAdminForm, change: bool
    ) -> None:
        data = form.cleaned_data
        article_save(
            article=obj,
            title=data["title"],
            slug=data["slug"],
            dek=data["dek"],
            body=data["body_source"],
            image_url=data["image_url"],
            author=data["author"],
            status=data["status"],
            published_at=data["published_at"],
            tags=list(data["tags"]),
            discussion_status=data["discussion"],
            premoderated=data["premoderated"],
        )

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        # article_save has set the tags; form.save_m2m() would write them again, outside it.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "article_count")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("name",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Tag]:
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description="articles", ordering="article_total")
    def article_count(self, obj: Tag) -> int:
        return obj.article_total
