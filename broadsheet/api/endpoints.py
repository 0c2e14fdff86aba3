"""The API's operations. Each parses, makes one domain call, and serializes what it returns."""

from typing import Annotated

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError

from broadsheet.articles import selectors as articles
from broadsheet.core.errors import BroadsheetError, InvalidInput
from broadsheet.discussion import selectors as discussion
from broadsheet.discussion.services import comment_vote
from broadsheet.discussion.sorts import CommentSort
from broadsheet.moderation.intake import submit_comment

from .cursors import cursor_for, read_cursor
from .schemas import (
    ArticleDetailOut,
    ArticlesOut,
    CommentIn,
    CommentsPageOut,
    CountsOut,
    ErrorOut,
    SubmittedOut,
    ThreadOut,
    VoteIn,
    VoteOut,
)
from .serializers import article_out, comment_out, own_comment_out, thread_out
from .viewers import BrowserAuth, client_address, remember_guest, viewer_for

ARTICLES_PER_PAGE = 20
MAX_PAGE = 10_000

api = NinjaAPI(
    title="Broadsheet API",
    version="1",
    description="Threads, comments and articles of a Broadsheet site, as JSON.",
    urls_namespace="api",
)
browser = BrowserAuth()
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
ERRORS |= {422: ErrorOut, 429: ErrorOut}


def _error(request: HttpRequest, status: int, code: str, message: str, **extra) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message, **extra}}, status=status
    )


@api.exception_handler(BroadsheetError)
def _domain_error(request: HttpRequest, exc: BroadsheetError) -> HttpResponse:
    extra = {"field": exc.field} if exc.field else {}
    return _error(request, exc.status, exc.code, exc.message, **extra)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    for error in exc.errors:
        where = ".".join(str(part) for part in error.get("loc", ()))
        problems.append(f"{where}: {error.get('msg', 'invalid')}" if where else error.get("msg"))
    message = "; ".join(str(p) for p in problems) or "The request is not valid."
    return _error(request, 422, "invalid_request", message)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "Sign in first.")


_HTTP_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc) or "The request failed."
    code = "csrf_failed" if "CSRF" in message else _HTTP_CODES.get(exc.status_code, "http_error")
    return _error(request, exc.status_code, code, message)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "Not found.")


@api.get("/threads", response={200: ThreadOut} | ERRORS, tags=["threads"])
def thread_by_url(request: HttpRequest, url: str = Query(..., max_length=2000)):
    """The discussion of the page at `url` (its canonical URL, as the thread is keyed)."""
    thread = discussion.thread_by_key(key=url, viewer=viewer_for(request))
    return thread_out(thread)


@api.get("/threads/counts", response={200: CountsOut} | ERRORS, tags=["threads"])
def thread_counts(request: HttpRequest, url: Annotated[list[str], Query(...)]):
    """Published comment counts for many page URLs in one call (0 where there is none)."""
    return {"counts": discussion.thread_counts(keys=url)}


@api.get(
    "/threads/{thread_id}/comments", response={200: CommentsPageOut} | ERRORS, tags=["comments"]
)
def comments_page(
    request: HttpRequest,
    thread_id: int,
    sort: CommentSort | None = None,
    cursor: str | None = Query(None, max_length=500),
):
    """A page of top-level comments with their replies; follow `next_cursor` for the next."""
    viewer = viewer_for(request)
    page = 1
    if cursor:
        page, cursor_sort = read_cursor(cursor)
        if sort is not None and sort != cursor_sort:
            raise InvalidInput("The cursor belongs to another sort.", code="cursor_invalid")
        sort = cursor_sort
    sort = sort or CommentSort.OLDEST
    thread = discussion.thread_get(thread_id=thread_id, viewer=viewer)
    result = discussion.thread_page(thread=thread, viewer=viewer, page=page, sort=sort)
    return {
        "thread": thread_out(thread),
        "sort": str(result.sort),
        "comments": [comment_out(node, viewer) for node in result.roots],
        "next_cursor": cursor_for(page=page + 1, sort=sort) if result.has_next else None,
        "previous_cursor": cursor_for(page=page - 1, sort=sort) if page > 1 else None,
    }


@api.post(
    "/threads/{thread_id}/comments",
    response={201: SubmittedOut} | ERRORS,
    auth=browser,
    tags=["comments"],
)
def comment_create(request: HttpRequest, response: HttpResponse, thread_id: int, data: CommentIn):
    """Posts a comment (or a reply, with `parent`) through the same intake as the pages.

    Signed in: the session, with CSRF. A guest gives a name; their browser
    keeps the signed guest cookie (issued here when missing) to edit and vote.
    """
    viewer = request.auth
    thread = discussion.thread_get(thread_id=thread_id, viewer=viewer)
    submitted = submit_comment(
        thread=thread,
        viewer=viewer,
        body=data.body,
        parent_id=data.parent,
        guest_name=data.name,
        guest_email=data.email,
        client_address=client_address(request),
        notify=data.notify,
    )
    remember_guest(request, response, viewer)
    comment = submitted.comment
    return Status(
        201,
        {
            "id": comment.pk,
            "parent": comment.parent_id,
            "status": "rejected" if submitted.rejected else str(comment.status),
            "message": submitted.message,
            "comment": None if submitted.rejected else own_comment_out(comment, viewer),
        },
    )


@api.post(
    "/comments/{comment_id}/vote", response={200: VoteOut} | ERRORS, auth=browser, tags=["comments"]
)
def vote(request: HttpRequest, response: HttpResponse, comment_id: int, data: VoteIn):
    """Casts (1 or -1) or withdraws (0) the caller's one vote on a published comment."""
    viewer = request.auth
    comment = comment_vote(comment_id=comment_id, viewer=viewer, value=data.value)
    remember_guest(request, response, viewer)
    return {
        "id": comment.pk,
        "upvotes": comment.upvotes,
        "downvotes": comment.downvotes,
        "my_vote": data.value,
    }


@api.get("/articles", response={200: ArticlesOut} | ERRORS, tags=["articles"])
def article_list(request: HttpRequest, page: int = Query(1, ge=1, le=MAX_PAGE)):
    """Published articles, newest first, twenty a page."""
    start = (page - 1) * ARTICLES_PER_PAGE
    rows = list(articles.articles_live()[start : start + ARTICLES_PER_PAGE + 1])
    return {
        "articles": [article_out(a) for a in rows[:ARTICLES_PER_PAGE]],
        "page": page,
        "has_next": len(rows) > ARTICLES_PER_PAGE,
    }


@api.get("/articles/{slug}", response={200: ArticleDetailOut} | ERRORS, tags=["articles"])
def article_detail(request: HttpRequest, slug: str):
    """One published article (editors also see drafts), with its rendered body and tags."""
    viewer = viewer_for(request)
    article = articles.article_get(slug=slug[:200], viewer=viewer)
    return {
        **article_out(article, discussion=articles.discussion_visible(article, viewer)),
        "html": article.body_html,
        "tags": [tag.name for tag in article.tags.all()],
    }
