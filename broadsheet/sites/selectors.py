"""Which site a page or an origin belongs to, and the keys and counts of its pages."""

from broadsheet.core.errors import BroadsheetError, Forbidden
from broadsheet.discussion import selectors as discussion
from broadsheet.discussion.models import Thread

from .models import Site, SiteDomain
from .page_keys import TrailingSlash, canonical_page_url, page_host


def site_for_host(host: str) -> Site | None:
    domain = SiteDomain.objects.filter(host=host, site__active=True).select_related("site").first()
    return domain.site if domain else None


def site_hosts(site: Site) -> list[str]:
    return list(site.domains.values_list("host", flat=True))


def embeddable_page(*, url: str) -> tuple[Site, str]:
    """The site a page belongs to and the page's key; Forbidden for a page of no site."""
    site = site_for_host(page_host(url))
    if site is None:
        raise Forbidden(
            "This page is not on a site allowed to carry the discussion.", code="site_not_allowed"
        )
    return site, canonical_page_url(url, trailing_slash=TrailingSlash(site.trailing_slash))


def _host_or_none(url: str) -> str | None:
    try:
        return page_host(url)
    except BroadsheetError:
        return None


def _keys(urls: list[str]) -> dict[str, str]:
    """Each address's thread key: by its site's trailing-slash rule, else by the default
    rules (the site's own article pages); the address as given when it is no page address.
    One query for all the hosts."""
    hosts = {url: _host_or_none(url) for url in urls}
    rules = dict(
        SiteDomain.objects.filter(
            host__in={h for h in hosts.values() if h}, site__active=True
        ).values_list("host", "site__trailing_slash")
    )
    keys = {}
    for url, host in hosts.items():
        rule = TrailingSlash(rules.get(host, TrailingSlash.KEEP))
        try:
            keys[url] = canonical_page_url(url, trailing_slash=rule)
        except BroadsheetError:
            keys[url] = url.strip()
    return keys


def page_key(url: str) -> str:
    return _keys([url])[url]


def page_counts(*, urls: list[str]) -> dict[str, int]:
    """Published comment counts by page address as given: two queries (the hosts' sites,
    the threads) for up to 100 addresses."""
    if len(urls) > discussion.MAX_COUNT_URLS:
        return discussion.thread_counts(keys=urls)  # refuses, with its message
    keys = _keys(urls)
    counts = discussion.thread_counts(keys=list(dict.fromkeys(keys.values())))
    return {url: counts.get(key, 0) for url, key in keys.items()}


def site_for_thread(thread: Thread) -> Site | None:
    try:
        return site_for_host(page_host(thread.key))
    except BroadsheetError:
        return None


def origin_allowed(origin: str) -> bool:
    """Whether a browser origin (scheme://host[:port]) is one of an active site's domains."""
    try:
        return site_for_host(page_host(origin)) is not None
    except BroadsheetError:
        return False
