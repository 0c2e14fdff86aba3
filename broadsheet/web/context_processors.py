from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


def site(request: HttpRequest) -> dict:
    return {
        "site_name": settings.BROADSHEET_SITE_NAME,
        "site_url": settings.BROADSHEET_SITE_URL.rstrip("/"),
        # "/comments/": every comment's own URLs live under it. A page lists up to
        # 300 comments with several links each; reversing each one cost more than
        # the page's queries, so the comment markup builds them from this prefix.
        "comments_prefix": reverse("web:comment", args=[0]).removesuffix("0/"),
    }
