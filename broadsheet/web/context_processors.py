from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {
        "site_name": settings.BROADSHEET_SITE_NAME,
        "site_url": settings.BROADSHEET_SITE_URL.rstrip("/"),
    }
