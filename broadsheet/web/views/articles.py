"""Public article pages: front, article, tag and author. Parse, call a selector, render."""

import json
import time
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from broadsheet.accounts.viewers import ANONYMOUS
from broadsheet.articles import selectors
from broadsheet.articles.metadata import absolute_url, article_meta, website_json_ld
from broadsheet.articles.models import Article
from broadsheet.articles.selectors import Revision
from broadsheet.core.errors import BroadsheetError, NotFound
from broadsheet.discussion.sorts import CommentSort
from broadsheet.discussion.stamps import stamp_read
from broadsheet.web import fast_pages, page_cache
from broadsheet.web.client import viewer_for
from broadsheet.web.errors import domain_error_response
from broadsheet.web.views.discussion import discussion_context, remember_sort

ARTICLES_PER_PAGE = 20

# What json_script escapes: a title holding "</script>" cannot close the tag.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """A JSON-LD script element; json_script can't be used since it fixes type=application/json."""
    payload = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


def _page(request: HttpRequest, articles: QuerySet[Article]) -> Page:
    return Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))


def _canonical(request: HttpRequest, page: Page) -> str:
    """A list page's own address; later pages keep their number so each is indexed once."""
    suffix = f"?page={page.number}" if page.number > 1 else ""
    return f"{absolute_url(request.path)}{suffix}"


@require_GET
def front(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.articles_live())
    context = {
        "page": page,
        "canonical_url": _canonical(request, page),
        "json_ld": json_ld_script(website_json_ld()),
    }
    return render(request, "articles/front.html", context)


@require_GET
def article(request: HttpRequest, slug: str) -> HttpResponse:
    if page_cache.is_stateless(request) and request.GET.get("page", "1") == "1":
        return _article_for_everyone(request, slug)
    viewer = viewer_for(request)
    try:
        item = selectors.article_get(slug=slug, viewer=viewer)
    except BroadsheetError as error:
        return domain_error_response(request, error)
    meta = article_meta(article=item)
    context = {"article": item, "meta": meta, "json_ld": json_ld_script(meta.json_ld)}
    if selectors.discussion_visible(item, viewer):
        context.update(discussion_context(request, item.thread, viewer))
    return remember_sort(request, render(request, "articles/article.html", context))


def _article_for_everyone(request: HttpRequest, slug: str) -> HttpResponse:
    """The first page for a reader without state: from the shared cache when it is current."""
    revision = selectors.article_revision(slug=slug)
    if revision is None:
        return domain_error_response(request, NotFound("There is no such article."))
    sort = CommentSort.parse(request.GET.get("sort"))
    key = page_cache.page_key(revision.token, sort)
    etag = page_cache.etag_for(key)
    if response := page_cache.not_modified(request, etag):
        return response
    page = f"{revision.article_id}:{sort}"
    response = page_cache.cached(request, key)
    if response is None:
        state = page_cache.render_state(page)
        if response := page_cache.held(request, revision.thread_version, state, page=page):
            return response
        claimed = not state.rendering and page_cache.render_claim(page)
        if not claimed and (response := page_cache.latest(request, state.stored)):
            return response
        try:
            started = time.time()
            response = page_cache.store(
                request, key, _render_for_everyone(request, slug),
                page=page, version=revision.thread_version, started=started,
            )  # fmt: skip
        finally:
            if claimed:
                page_cache.render_done(page)
    if response.status_code == 200 and "gzip" in request.headers.get("Accept-Encoding", ""):
        _hand_to_fast_pages(slug, sort, revision, key=key, page=page)
    return response


def _hand_to_fast_pages(slug: str, sort: str, revision: Revision, *, key: str, page: str) -> None:
    """Lets web/fast_pages.py answer the next readers of this page. If it is still current,
    with the stamp: read first, then the revision again, so any write not in the page (not
    in the revision) changes the stamp after this read (discussion/stamps.py). If not (under
    a flood of posts), without one: then it is only served while a newer one renders or a
    flood holds renders back (page_cache.held)."""
    stamp = stamp_read(thread_id=revision.thread_id)
    current = selectors.article_revision(slug=slug) == revision
    fast_pages.remember(
        slug=slug, sort=sort, thread_id=revision.thread_id, stamp=stamp if current else None,
        key=key, page=page,
    )  # fmt: skip


def _render_for_everyone(request: HttpRequest, slug: str) -> HttpResponse:
    item = selectors.article_get(slug=slug, viewer=ANONYMOUS)
    meta = article_meta(article=item)
    context = {
        "article": item,
        "meta": meta,
        "json_ld": json_ld_script(meta.json_ld),
        # Nothing of this visitor's: no user, no messages, no CSRF token.
        "user": AnonymousUser(),
        "messages": (),
        "cacheable": True,
    }
    if selectors.discussion_visible(item, ANONYMOUS):
        context.update(discussion_context(request, item.thread, ANONYMOUS))
    return render(request, "articles/article.html", context)


@require_GET
def tag(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        item = selectors.tag_get(slug=slug)
    except BroadsheetError as error:
        return domain_error_response(request, error)
    page = _page(request, selectors.articles_by_tag(tag=item))
    context = {"tag": item, "page": page, "canonical_url": _canonical(request, page)}
    return render(request, "articles/tag.html", context)


@require_GET
def author(request: HttpRequest, author_id: int) -> HttpResponse:
    try:
        person = selectors.author_get(author_id=author_id)
    except BroadsheetError as error:
        return domain_error_response(request, error)
    page = _page(request, selectors.articles_by_author(author=person))
    context = {"author": person, "page": page, "canonical_url": _canonical(request, page)}
    return render(request, "articles/author.html", context)
