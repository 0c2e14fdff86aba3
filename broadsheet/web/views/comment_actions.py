"""What a reader does to an existing comment: vote, and (its author) edit or delete."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from broadsheet.core.errors import BroadsheetError, InvalidInput
from broadsheet.discussion.models import Comment
from broadsheet.discussion.services import comment_access_own, comment_delete, comment_vote
from broadsheet.moderation.intake import edit_comment
from broadsheet.web.client import ensure_guest_key, remember_guest, viewer_for
from broadsheet.web.errors import domain_error_response, wants_json
from broadsheet.web.views.discussion import form_context, page_url

_VOTE_VALUES = {"up": 1, "down": -1, "none": 0}


def _back_to(comment: Comment) -> HttpResponse:
    response = redirect(f"{page_url(comment.thread)}#c-{comment.pk}")
    response.status_code = 303
    return response


@require_POST
def vote(request: HttpRequest, comment_id: int) -> HttpResponse:
    viewer = ensure_guest_key(request)
    try:
        value = _VOTE_VALUES.get(request.POST.get("value", ""))
        if value is None:
            raise InvalidInput("A vote is up, down or none.", code="vote_invalid")
        comment = comment_vote(comment_id=comment_id, viewer=viewer, value=value)
    except BroadsheetError as error:
        return domain_error_response(request, error)
    if wants_json(request):
        response = JsonResponse(
            {
                "id": comment.pk,
                "upvotes": comment.upvotes,
                "downvotes": comment.downvotes,
                "score": comment.net_score,
                "my_vote": value,
            }
        )
    else:
        response = _back_to(comment)
    return remember_guest(response, viewer)


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    comment = None
    try:
        comment = comment_access_own(comment_id=comment_id, viewer=viewer)
        if request.method == "POST":
            submitted = edit_comment(
                comment_id=comment_id, viewer=viewer, body=request.POST.get("body", "")
            )
            if wants_json(request):
                return JsonResponse({"id": comment_id, "status": submitted.comment.status})
            return _back_to(submitted.comment)
    except BroadsheetError as error:
        if comment is not None and request.method == "POST" and not wants_json(request):
            return render(
                request,
                "discussion/edit.html",
                {
                    **form_context(request, comment.thread),
                    "comment": comment,
                    "body": request.POST.get("body", ""),
                    "form_error": error,
                },
                status=error.status,
            )
        return domain_error_response(request, error)
    return render(
        request,
        "discussion/edit.html",
        {**form_context(request, comment.thread), "comment": comment, "body": comment.body_source},
    )


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    try:
        comment = comment_access_own(comment_id=comment_id, viewer=viewer)
    except BroadsheetError as error:
        return domain_error_response(request, error)
    if request.method == "GET":
        return render(request, "discussion/delete.html", {"comment": comment})
    comment_delete(comment=comment)
    if wants_json(request):
        return JsonResponse({"id": comment_id, "deleted": True})
    response = redirect(f"{page_url(comment.thread)}#comments")
    response.status_code = 303
    return response
