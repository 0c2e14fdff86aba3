"""Threads in the admin: looked at, and switched open/closed/hidden or pre-moderated.

Counts, keys and positions are the intake's to keep right, so they are read-only
here, and a change goes through `thread_update` (which bumps the version that
cache keys include). Comments have no admin: they enter only through the
intake and are moderated in the moderation queue.
"""

from django.contrib import admin
from django.http import HttpRequest

from .models import Thread
from .services import thread_update


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = (
        "key", "title", "status", "premoderated", "comment_count", "top_level_count", "created_at",
    )  # fmt: skip
    list_filter = ("status", "premoderated")
    search_fields = ("key", "title")
    ordering = ("-created_at", "-pk")
    date_hierarchy = "created_at"
    fields = (
        "key", "title", "status", "premoderated",
        "comment_count", "top_level_count", "last_seq", "version", "created_at",
    )  # fmt: skip
    readonly_fields = (
        "key", "title", "comment_count", "top_level_count", "last_seq", "version", "created_at",
    )  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Thread | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Thread, form, change: bool) -> None:
        thread_update(
            thread=obj,
            status=form.cleaned_data["status"],
            premoderated=form.cleaned_data["premoderated"],
        )
