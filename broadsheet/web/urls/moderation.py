"""The moderator queue under /moderation/ (the back-office pages are in moderation_admin.py)."""

from django.urls import path

from broadsheet.web.views import moderation as views

app_name = "moderation"

urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("bulk/", views.bulk, name="bulk"),
    path("comments/<int:comment_id>/edit/", views.comment_edit, name="edit"),
    path(
        "comments/<int:comment_id>/<slug:action>/",
        views.comment_action,
        name="action",
    ),
    path("actions/<int:action_id>/revert/", views.action_revert, name="revert"),
]
