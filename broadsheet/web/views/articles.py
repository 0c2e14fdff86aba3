"""Public article pages: front, article, tag and author. (Layout to be completed.)"""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from broadsheet.articles import selectors
from broadsheet.core.errors import BroadsheetError
from broadsheet.web.client import viewer_for
from broadsheet.web.errors import domain_error_response
from broadsheet.web.views.discussion import discussion_context

ARTICLES_PER_PAGE = 20


@require_GET
def front(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.articles_live(), ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "articles/front.html", {"page": page})


@require_GET
def article(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_for(request)
    try:
        item = selectors.article_get(slug=slug, viewer=viewer)
    except BroadsheetError as error:
        return domain_error_response(request, error)
    context = {"article": item}
    if selectors.discussion_visible(item, viewer):
        context.update(discussion_context(request, item.thread, viewer))
    return render(request, "articles/article.html", context)


@require_GET
def tag(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        item = selectors.tag_get(slug=slug)
    except BroadsheetError as error:
        return domain_error_response(request, error)
    page = Paginator(selectors.articles_by_tag(tag=item), ARTICLES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "articles/tag.html", {"tag": item, "page": page})


@require_GET
def author(request: HttpRequest, author_id: int) -> HttpResponse:
    try:
        person = selectors.author_get(author_id=author_id)
    except BroadsheetError as error:
        return domain_error_response(request, error)
    page = Paginator(selectors.articles_by_author(author=person), ARTICLES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "articles/author.html", {"author": person, "page": page})
