"""The moderators' back office beside the queue, under /moderation/: distinct paths from the
queue's own (log/, roles/, terms/, dashboard/, rescore/)."""

from django.urls import path

from broadsheet.web.views import moderation_admin as views

app_name = "moderation_admin"

urlpatterns = [
    path("log/", views.audit_log, name="log"),
    path("roles/", views.moderator_roles, name="roles"),
    path("terms/", views.term_list, name="terms"),
    path("terms/<int:term_id>/remove/", views.term_remove, name="term-remove"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("rescore/", views.rescore, name="rescore"),
    path("rescore/<str:run_id>/", views.rescore_run, name="rescore-run"),
]
