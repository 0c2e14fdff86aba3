from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("broadsheet.api.urls")),
    path("accounts/", include("broadsheet.web.urls.accounts")),
    # The moderators' log, roles, terms, dashboard and re-scoring; the queue has its own paths.
    path("moderation/", include("broadsheet.web.urls.moderation_admin")),
    path("moderation/", include("broadsheet.web.urls.moderation")),
    path("", include("broadsheet.web.urls.site")),
]
if settings.BROADSHEET_SERVE_MEDIA:
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )
