"""The API's operations. Each parses, makes one domain call, and serializes what it returns."""

from typing import Annotated

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Path, Query, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError

from broadsheet.articles import selectors as articles
from broadsheet.core.errors import BroadsheetError, InvalidInput, Unauthenticated
from broadsheet.discussion import selectors as discussion
from broadsheet.discussion.services import comment_access_own, comment_delete, comment_vote
from broadsheet.discussion.sorts import CommentSort
from broadsheet.moderation import queue
from broadsheet.moderation import services as moderation
from broadsheet.moderation.flags import flag_comment
from broadsheet.moderation.intake import edit_comment, submit_comment
from broadsheet.portability.erasure import user_data
from broadsheet.sites import selectors as sites

from .cursors import cursor_for, read_cursor
from .schemas import (
    ArticleDetailOut,
    ArticlesOut,
    CommentEditIn,
    CommentIn,
    CommentsPageOut,
    CountsOut,
    DeletedOut,
    EditedOut,
    ErrorOut,
    ExportOut,
    FlagIn,
    FlagOut,
    MeOut,
    ModerationIn,
    ModerationOut,
    ModerationVerb,
    QueueOut,
    SubmittedOut,
    ThreadOut,
    VoteIn,
    VoteOut,
)
from .serializers import (
    article_out,
    comment_out,
    export_out,
    me_out,
    moderation_out,
    own_comment_out,
    queue_out,
    thread_out,
)
from .viewers import (
    BrowserAuth,
    TokenAuth,
    any_member,
    any_reader,
    client_address,
    remember_guest,
    request_token,
    viewer_for,
)

ARTICLES_PER_PAGE = 20
MAX_PAGE = 10_000
# Ids are 64-bit database keys: a larger number is refused here (422), not sent to the database.
MAX_ID = 2**63 - 1
ThreadId = Annotated[int, Path(ge=1, le=MAX_ID)]
CommentId = Annotated[int, Path(ge=1, le=MAX_ID)]

DESCRIPTION = """Threads, comments, articles and moderation of a Broadsheet site, as JSON.

**Who calls.** Reads are open to anyone. A server-to-server client sends an API token
(`Authorization: Bearer bst_…`, made on the profile page); a *read* token may only GET,
a *write* token may do all its owner can, and needs no CSRF token. A browser uses its
session (or, for a guest, the `bs_guest` cookie) and sends the CSRF token with writes.

**Errors** are `{"error": {"code": "...", "message": "...", "field": null}}` with a
stable `code`. No answer carries an e-mail address, a client address or any hash of one.
"""

api = NinjaAPI(
    title="Broadsheet API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
)
browser = BrowserAuth()
# Writes: a bearer token first (no CSRF), else the browser's session or guest cookie (CSRF).
writers = [TokenAuth(), browser]
# Reads: a bearer token is checked first (a bad one is a 401 on any operation); else anyone
# (the session or guest cookie, if any, only changes what they see), or members only.
readers = [TokenAuth(), any_reader]
members = [TokenAuth(), any_member]
READ = {"security": [{"BrowserAuth": []}, {}]}
MEMBERS = {"security": [{"BrowserAuth": []}]}
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


@api.get(
    "/threads",
    response={200: ThreadOut} | ERRORS,
    tags=["threads"],
    auth=readers,
    openapi_extra=READ,
)
def thread_by_url(request: HttpRequest, url: str = Query(..., max_length=2000)):
    """The discussion of the page at `url` (its canonical URL, as the thread is keyed)."""
    thread = discussion.thread_by_key(key=sites.page_key(url), viewer=viewer_for(request))
    return thread_out(thread)


@api.get(
    "/threads/counts",
    response={200: CountsOut} | ERRORS,
    tags=["threads"],
    auth=readers,
    openapi_extra=READ,
)
def thread_counts(request: HttpRequest, url: Annotated[list[str], Query(...)]):
    """Published comment counts for many page URLs in one call (0 where there is none),
    keyed by the URLs as given; each is canonicalized as threads are keyed (README
    "Embedding"). Other sites' pages may call this from the browser (CORS), as count.js does."""
    return {"counts": sites.page_counts(urls=url)}


@api.get(
    "/threads/{thread_id}/comments",
    response={200: CommentsPageOut} | ERRORS,
    tags=["comments"],
    auth=readers,
    openapi_extra=READ,
)
def comments_page(
    request: HttpRequest,
    thread_id: ThreadId,
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
    auth=writers,
    tags=["comments"],
)
def comment_create(
    request: HttpRequest, response: HttpResponse, thread_id: ThreadId, data: CommentIn
):
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
    "/comments/{comment_id}/vote", response={200: VoteOut} | ERRORS, auth=writers, tags=["comments"]
)
def vote(request: HttpRequest, response: HttpResponse, comment_id: CommentId, data: VoteIn):
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


@api.get(
    "/articles",
    response={200: ArticlesOut} | ERRORS,
    tags=["articles"],
    auth=readers,
    openapi_extra=READ,
)
def article_list(request: HttpRequest, page: int = Query(1, ge=1, le=MAX_PAGE)):
    """Published articles, newest first, twenty a page."""
    start = (page - 1) * ARTICLES_PER_PAGE
    rows = list(articles.articles_live()[start : start + ARTICLES_PER_PAGE + 1])
    return {
        "articles": [article_out(a) for a in rows[:ARTICLES_PER_PAGE]],
        "page": page,
        "has_next": len(rows) > ARTICLES_PER_PAGE,
    }


@api.get(
    "/articles/{slug}",
    response={200: ArticleDetailOut} | ERRORS,
    tags=["articles"],
    auth=readers,
    openapi_extra=READ,
)
def article_detail(request: HttpRequest, slug: str):
    """One published article (editors also see drafts), with its rendered body and tags."""
    viewer = viewer_for(request)
    article = articles.article_get(slug=slug[:200], viewer=viewer)
    return {
        **article_out(article, discussion=articles.discussion_visible(article, viewer)),
        "html": article.body_html,
        "tags": [tag.name for tag in article.tags.all()],
    }


@api.patch(
    "/comments/{comment_id}", response={200: EditedOut} | ERRORS, auth=writers, tags=["comments"]
)
def comment_edit(request: HttpRequest, comment_id: CommentId, data: CommentEditIn):
    """The author's edit, within the edit window, through the same checks as a new comment.

    A guest edits from the browser (the `bs_guest` cookie) that posted it.
    """
    viewer = request.auth
    submitted = edit_comment(comment_id=comment_id, viewer=viewer, body=data.body)
    comment = submitted.comment
    return {
        "id": comment.pk,
        "status": str(comment.status),
        "comment": own_comment_out(comment, viewer),
    }


@api.delete(
    "/comments/{comment_id}", response={200: DeletedOut} | ERRORS, auth=writers, tags=["comments"]
)
def comment_remove(request: HttpRequest, comment_id: CommentId):
    """Deletes the caller's own comment; one with replies stays as a "[deleted]" mark."""
    comment = comment_access_own(comment_id=comment_id, viewer=request.auth)
    removed = comment_delete(comment=comment)
    return {"id": comment_id, "deleted": True, "tombstone": not removed}


@api.post(
    "/comments/{comment_id}/flag",
    response={201: FlagOut} | ERRORS,
    auth=writers,
    tags=["comments"],
)
def comment_flag(request: HttpRequest, response: HttpResponse, comment_id: CommentId, data: FlagIn):
    """Flags a published comment for the moderators: one flag per reader, weighted by trust."""
    viewer = request.auth
    outcome = flag_comment(
        comment_id=comment_id,
        viewer=viewer,
        reason=str(data.reason),
        note=data.note,
        client_address=client_address(request),
    )
    remember_guest(request, response, viewer)
    message = "Thank you. The moderators will look at this comment."
    return Status(
        201, {"id": comment_id, "flagged": True, "held": outcome.held, "message": message}
    )


@api.get(
    "/moderation/queue",
    response={200: QueueOut} | ERRORS,
    tags=["moderation"],
    auth=members,
    openapi_extra=MEMBERS,
)
def moderation_queue(
    request: HttpRequest,
    tab: queue.Tab = queue.Tab.HELD,
    q: str = Query("", max_length=queue.SEARCH_MAX_LENGTH),
    page: int = Query(1, ge=1, le=MAX_PAGE),
):
    """Moderators only: a page of a queue tab (riskiest first), with reasons, flags, histories.

    `q` searches authors and text (any tab); `page` counts from 1, 25 a page.
    """
    viewer = request.auth
    result = queue.queue_page(viewer=viewer, tab=tab, page=page, query=q, with_flags=True)
    return queue_out(result)


_DECIDED = {
    ModerationVerb.APPROVE: "Approved.",
    ModerationVerb.REJECT: "Rejected.",
    ModerationVerb.SPAM: "Marked as spam.",
    ModerationVerb.FEATURE: "Featured.",
    ModerationVerb.UNFEATURE: "No longer featured.",
}


@api.post(
    "/moderation/comments/{comment_id}/actions",
    response={200: ModerationOut} | ERRORS,
    auth=writers,
    tags=["moderation"],
)
def moderation_action(request: HttpRequest, comment_id: CommentId, data: ModerationIn):
    """Moderators only: one decision on one comment, logged (and undoable from the audit log).

    approve, reject (a reason is required: the author sees it), spam, feature, unfeature.
    """
    actor = request.auth.user
    if actor is None:
        raise Unauthenticated("Sign in, or send an API token.")
    verb, reason = data.action, data.reason
    if verb == ModerationVerb.APPROVE:
        action = moderation.comment_approve(comment_id=comment_id, actor=actor, reason=reason)
    elif verb == ModerationVerb.REJECT:
        action = moderation.comment_reject(comment_id=comment_id, actor=actor, reason=reason)
    elif verb == ModerationVerb.SPAM:
        action = moderation.comment_mark_spam(comment_id=comment_id, actor=actor, reason=reason)
    else:
        featured = verb == ModerationVerb.FEATURE
        action = moderation.comment_feature(comment_id=comment_id, actor=actor, featured=featured)
    return moderation_out(action, _DECIDED[verb])


@api.get("/me", response={200: MeOut} | ERRORS, tags=["me"], auth=members, openapi_extra=MEMBERS)
def me(request: HttpRequest):
    """The caller's account (signed in, or by API token). Never the e-mail address."""
    return me_out(request.auth, request_token(request))


@api.get(
    "/me/export",
    response={200: ExportOut} | ERRORS,
    tags=["me"],
    auth=members,
    openapi_extra=MEMBERS,
)
def me_export(request: HttpRequest):
    """Everything we hold about the caller: their profile and every comment they wrote.

    The same data as the profile page's download, **without the e-mail
    address**: no API answer carries one. The download on the profile page
    (a signed-in browser) still includes it.
    """
    return export_out(user_data(user=request.auth.user))
