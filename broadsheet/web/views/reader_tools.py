"""What a reader does about other people's comments: flag one for the moderators, mute a commenter.

Each action has a small page of its own (works without JavaScript, and from
cached pages, which carry no CSRF token); the discussion script opens the
same forms inline and posts them with `Accept: application/json`.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from broadsheet.core.errors import BroadsheetError
from broadsheet.discussion import selectors
from broadsheet.discussion.models import Comment
from broadsheet.moderation.flags import NOTE_MAX_LENGTH, flag_comment
from broadsheet.moderation.models import FlagReason
from broadsheet.moderation.mutes import mute_commenter, mute_remove, mutes_list
from broadsheet.web.client import client_address, ensure_guest_key, remember_guest, viewer_for
from broadsheet.web.errors import domain_error_response, wants_json
from broadsheet.web.views.discussion import page_url

FLAG_THANKS = "Thank you. The moderators will look at this comment."


def _flag_page(
    request: HttpRequest, comment: Comment, *, status: int = 200, **extra: object
) -> HttpResponse:
    context = {
        "comment": comment,
        "reasons": FlagReason.choices,
        "note_max_length": NOTE_MAX_LENGTH,
        "page_url": page_url(comment.thread),
        **extra,
    }
    return render(request, "discussion/flag.html", context, status=status)


@require_http_methods(["GET", "POST"])
def flag(request: HttpRequest, comment_id: int) -> HttpResponse:
    viewer = ensure_guest_key(request) if request.method == "POST" else viewer_for(request)
    try:
        comment = selectors.comment_get(comment_id=comment_id, viewer=viewer)
    except BroadsheetError as error:
        return domain_error_response(request, error)
    if request.method == "GET":
        return _flag_page(request, comment)
    values = {"reason": request.POST.get("reason", ""), "note": request.POST.get("note", "")}
    try:
        outcome = flag_comment(
            comment_id=comment_id,
            viewer=viewer,
            reason=values["reason"],
            note=values["note"],
            client_address=client_address(request),
        )
    except BroadsheetError as error:
        if wants_json(request):
            return remember_guest(domain_error_response(request, error), viewer)
        response = _flag_page(
            request, comment, status=error.status, form_error=error, form_values=values
        )
        return remember_guest(response, viewer)
    if wants_json(request):
        response = JsonResponse(
            {"id": comment_id, "flagged": True, "held": outcome.held, "message": FLAG_THANKS},
            status=201,
        )
    else:
        response = _flag_page(request, comment, done=True, thanks=FLAG_THANKS)
    return remember_guest(response, viewer)


@require_http_methods(["GET", "POST"])
def mute(request: HttpRequest, comment_id: int) -> HttpResponse:
    viewer = ensure_guest_key(request) if request.method == "POST" else viewer_for(request)
    try:
        comment = selectors.comment_get(comment_id=comment_id, viewer=viewer)
        if request.method == "GET":
            return render(
                request,
                "discussion/mute.html",
                {"comment": comment, "page_url": page_url(comment.thread)},
            )
        mute_commenter(viewer=viewer, comment_id=comment_id)
    except BroadsheetError as error:
        return remember_guest(domain_error_response(request, error), viewer)
    if wants_json(request):
        response = JsonResponse({"id": comment_id, "muted": True, "name": comment.display_name})
    else:
        response = redirect(f"{page_url(comment.thread)}#c-{comment.pk}")
        response.status_code = 303
    return remember_guest(response, viewer)


@require_GET
def mutes(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    return render(request, "discussion/mutes.html", {"mutes": mutes_list(viewer=viewer)})


@require_POST
def unmute(request: HttpRequest, mute_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    try:
        mute_remove(viewer=viewer, mute_id=mute_id)
    except BroadsheetError as error:
        return domain_error_response(request, error)
    if wants_json(request):
        return JsonResponse({"id": mute_id, "muted": False})
    response = redirect("web:mutes")
    response.status_code = 303
    return response
