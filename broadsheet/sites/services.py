"""Sites and their domains, and the thread an embedded page gets on its first view."""

from django.db import IntegrityError, transaction

from broadsheet.core.errors import Conflict, InvalidInput
from broadsheet.discussion.models import Thread
from broadsheet.discussion.services import thread_get_or_create

from .models import Site, SiteDomain
from .page_keys import TrailingSlash, normalize_host
from .selectors import embeddable_page

TITLE_MAX_LENGTH = 300


def site_create(
    *, name: str, hosts: list[str], trailing_slash: TrailingSlash | str = TrailingSlash.KEEP
) -> Site:
    """A site with its domains, all or nothing."""
    name = name.strip()
    if not name:
        raise InvalidInput("Give the site a name.", code="name_missing", field="name")
    if not hosts:
        raise InvalidInput("Give at least one domain.", code="hosts_missing", field="hosts")
    normalized = list(dict.fromkeys(normalize_host(h) for h in hosts))
    try:
        with transaction.atomic():
            site = Site.objects.create(name=name, trailing_slash=TrailingSlash(trailing_slash))
            SiteDomain.objects.bulk_create(SiteDomain(site=site, host=h) for h in normalized)
    except IntegrityError:
        raise Conflict(
            "One of those domains already belongs to a site.", code="host_taken", field="hosts"
        ) from None
    return site


def embed_thread(*, url: str, title: str = "") -> Thread:
    """The thread under an allowed page, created on the page's first view."""
    _, key = embeddable_page(url=url)
    return thread_get_or_create(key=key, title=" ".join(title.split())[:TITLE_MAX_LENGTH])
