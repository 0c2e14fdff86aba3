"""Discussion pages: posting, the reply form (no-JS path) and permalinks. Parse, call, render."""

from urllib.parse import quote, unquote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from broadsheet.accounts.viewers import Viewer
from broadsheet.articles.models import Article
from broadsheet.core.errors import BroadsheetError, InvalidInput
from broadsheet.core.markup import quote_markdown
from broadsheet.discussion import selectors
from broadsheet.discussion.models import Thread
from broadsheet.discussion.sorts import CommentSort
from broadsheet.discussion.trees import CommentNode, mark_muted
from broadsheet.moderation.intake import submit_comment
from broadsheet.moderation.mutes import muted_by
from broadsheet.moderation.notes import decision_notes
from broadsheet.moderation.policies import takes_comments
from broadsheet.web.client import client_address, ensure_guest_key, remember_guest, viewer_for
from broadsheet.web.comment_html import render_comments
from broadsheet.web.errors import domain_error_response, wants_json

NAME_COOKIE = "bs_name"
SORT_COOKIE = "bs_sort"


def remember_sort(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A sort the reader chose sticks for their next visits."""
    chosen = request.GET.get("sort")
    if chosen in CommentSort.values:
        response.set_cookie(SORT_COOKIE, chosen, max_age=31536000, samesite="Lax")
    return response


def page_url(thread: Thread) -> str:
    """Where a thread's discussion is read: its article's page, else its key (an external page)."""
    try:
        return thread.article.get_absolute_url()
    except Article.DoesNotExist:
        return thread.key


def article_author_id(thread: Thread) -> int | None:
    """Whose comments get the "Author" badge; free when the thread came with its article."""
    try:
        return thread.article.author_id
    except Article.DoesNotExist:
        return None


def form_context(request: HttpRequest, thread: Thread) -> dict:
    return {
        "thread": thread,
        "article_author_id": article_author_id(thread),
        "thread_open": takes_comments(thread),
        "comment_max_length": settings.BROADSHEET_COMMENT_MAX_LENGTH,
        "guest_name_max_length": settings.BROADSHEET_GUEST_NAME_MAX_LENGTH,
        "remembered_name": unquote(request.COOKIES.get(NAME_COOKIE, ""))[:100],
    }


def discussion_context(
    request: HttpRequest, thread: Thread, viewer: Viewer, *, query: QueryDict | None = None
) -> dict:
    """What `discussion/_discussion.html` needs; the page and sort come from `query`
    (the request's GET unless given)."""
    query = request.GET if query is None else query
    try:
        page_number = int(query.get("page", "1"))
    except ValueError:
        page_number = 1
    sort = CommentSort.parse(
        query.get("sort"), default=CommentSort.parse(request.COOKIES.get(SORT_COOKIE))
    )
    page = selectors.thread_page(thread=thread, viewer=viewer, page=page_number, sort=sort)
    collapse_muted(viewer, page.roots)
    return {
        **form_context(request, thread),
        "page": page,
        "sorts": CommentSort.choices,
        # Moderators' decisions on the viewer's own comments: one query, none for anonymous.
        "decision_notes": decision_notes(viewer=viewer),
    }


def collapse_muted(viewer: Viewer, nodes: list[CommentNode]) -> None:
    """Collapses comments by commenters the viewer muted: one query, none for anonymous readers."""
    muted = muted_by(viewer)
    if muted:
        mark_muted(nodes, users=muted.users, guests=muted.guests)


def _parse_parent(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise InvalidInput("The reply points at no valid comment.", code="parent_invalid") from None


@require_POST
def comment_post(request: HttpRequest, thread_id: int) -> HttpResponse:
    viewer = ensure_guest_key(request)
    values = {k: request.POST.get(k, "") for k in ("body", "name", "email", "parent", "notify")}
    thread = None
    try:
        thread = selectors.thread_get(thread_id=thread_id, viewer=viewer)
        submitted = submit_comment(
            thread=thread,
            viewer=viewer,
            body=values["body"],
            parent_id=_parse_parent(values["parent"]),
            guest_name=values["name"],
            guest_email=values["email"],
            client_address=client_address(request),
            notify=bool(values["notify"]),
        )
    except BroadsheetError as error:
        if thread is None or wants_json(request):
            return domain_error_response(request, error)
        return _form_again(request, thread, values, error)
    comment = submitted.comment
    if submitted.rejected:
        return remember_guest(_rejected(request, thread, values, submitted), viewer)
    if wants_json(request):
        node = CommentNode(comment=comment, indent=0, show_body=True, is_own=True)
        html = render_comments(node, form_context(request, thread), request)
        response = JsonResponse(
            {"id": comment.pk, "status": comment.status, "parent": comment.parent_id, "html": html},
            status=201,
        )
    else:
        page = selectors.root_page_number(comment=comment, viewer=viewer)
        suffix = f"?page={page}" if page > 1 else ""
        response = redirect(f"{page_url(thread)}{suffix}#c-{comment.pk}", permanent=False)
        response.status_code = 303
    if comment.author_id is None:
        response.set_cookie(
            NAME_COOKIE, quote(comment.guest_name), max_age=31536000, samesite="Lax"
        )
    return remember_guest(response, viewer)


def _rejected(request: HttpRequest, thread: Thread, values: dict, submitted) -> HttpResponse:
    """A rejected comment is a successful submission (stored, with its reasons): the
    commenter gets the message, and without JavaScript their text back in the form."""
    message = submitted.message
    if wants_json(request):
        comment = submitted.comment
        return JsonResponse(
            {"id": comment.pk, "status": comment.status, "parent": comment.parent_id,
             "message": message, "html": ""},
            status=201,
        )  # fmt: skip
    context = {
        **form_context(request, thread),
        "parent": submitted.comment.parent,
        "form_values": values,
        "form_error": InvalidInput(message, code="rejected"),
        "page_url": page_url(thread),
    }
    return render(request, "discussion/reply.html", context)


def _form_again(request: HttpRequest, thread: Thread, values: dict, error: BroadsheetError):
    """Without JavaScript, a refused comment comes back in its form with the message."""
    parent = None
    if values["parent"].isdigit():
        parent = thread.comments.filter(pk=int(values["parent"])).first()
    context = {
        **form_context(request, thread),
        "parent": parent,
        "form_values": values,
        "form_error": error,
        "page_url": page_url(thread),
    }
    return render(request, "discussion/reply.html", context, status=error.status)


@require_GET
def reply_form(request: HttpRequest, comment_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    try:
        parent = selectors.comment_get(comment_id=comment_id, viewer=viewer)
    except BroadsheetError as error:
        return domain_error_response(request, error)
    body = ""
    if request.GET.get("quote"):
        body = quote_markdown(parent.body_source, author=parent.display_name)
    if wants_json(request):
        return JsonResponse({"body": body})
    thread = parent.thread
    context = {
        **form_context(request, thread),
        "parent": parent,
        "form_values": {"body": body},
        "page_url": page_url(thread),
    }
    return render(request, "discussion/reply.html", context)


@require_GET
def thread_comment_form(request: HttpRequest, thread_id: int) -> HttpResponse:
    """The top-level comment form on a page of its own: the no-JavaScript path from cached pages."""
    viewer = viewer_for(request)
    try:
        thread = selectors.thread_get(thread_id=thread_id, viewer=viewer)
    except BroadsheetError as error:
        return domain_error_response(request, error)
    context = {**form_context(request, thread), "parent": None, "page_url": page_url(thread)}
    return render(request, "discussion/reply.html", context)


@require_GET
def thread_page_fragment(request: HttpRequest, thread_id: int) -> HttpResponse:
    """The next page of top-level comments as HTML items, for "Load more comments"."""
    viewer = viewer_for(request)
    try:
        thread = selectors.thread_get(thread_id=thread_id, viewer=viewer)
    except BroadsheetError as error:
        return domain_error_response(request, error)
    context = {**discussion_context(request, thread, viewer), "in_place": True}
    return render(request, "discussion/_page_fragment.html", context)


@require_GET
def subtree_fragment(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A comment with (more of) its replies as HTML, for "show K more replies"."""
    viewer = viewer_for(request)
    after = request.GET.get("after")
    try:
        context = selectors.comment_context(comment_id=comment_id, viewer=viewer, after=after)
    except BroadsheetError as error:
        return domain_error_response(request, error)
    context.node.focused = False
    return render(
        request,
        "discussion/_subtree_fragment.html",
        {
            **form_context(request, context.comment.thread),
            "context": context,
            "continuation": bool(after),
        },
    )


@require_GET
def csrf_token(request: HttpRequest) -> JsonResponse:
    """A CSRF token for forms on cached pages, which carry none (the cookie is set here)."""
    response = JsonResponse({"token": get_token(request)})
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def permalink(request: HttpRequest, comment_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    try:
        context = selectors.comment_context(
            comment_id=comment_id, viewer=viewer, after=request.GET.get("after")
        )
    except BroadsheetError as error:
        return domain_error_response(request, error)
    thread = context.comment.thread
    collapse_muted(viewer, [context.node])
    return render(
        request,
        "discussion/permalink.html",
        {**form_context(request, thread), "context": context, "page_url": page_url(thread)},
    )
