"""Which other sites' pages may read the comment counts from the browser (count.js).

django-cors-headers answers for the paths in CORS_URLS_REGEX; this says yes to the
origins of active embedding sites, which live in the database, not in settings.
"""

import re

from django.conf import settings
from django.http import HttpRequest

from broadsheet.sites.selectors import origin_allowed


def allow_embedding_sites(sender, request: HttpRequest, **kwargs) -> bool:
    # The library asks this signal for every path, not only CORS_URLS_REGEX's.
    if not re.match(settings.CORS_URLS_REGEX, request.path_info):
        return False
    return origin_allowed(request.headers.get("Origin", ""))
