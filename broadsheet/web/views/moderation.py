"""The moderator queue: tabs of comments to decide on, and one POST per decision.

Moderators only (sign in first; 403 otherwise). Every action is a plain form
POST with CSRF that answers with a redirect back to the queue (303), so the
queue works without JavaScript; moderation.js drives the same forms from the
keyboard and asks for JSON instead (Accept: application/json). Parse, make one
domain call (moderation.services), answer.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from broadsheet.articles.models import Article
from broadsheet.core.errors import BroadsheetError, Conflict, InvalidInput, NotFound
from broadsheet.discussion.models import Comment
from broadsheet.moderation import queue, sanctions, services
from broadsheet.moderation.models import ModerationAction
from broadsheet.web.client import viewer_for
from broadsheet.web.errors import domain_error_response, error_response, wants_json

View = Callable[..., HttpResponse]
BULK_MAX = 200


def moderator_only(view: View) -> View:
    """Sign in first; signed in without the moderator role: 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not viewer_for(request).is_moderator:
            return error_response(
                request, "The moderation queue is for moderators.", code="forbidden", status=403
            )
        return view(request, *args, **kwargs)

    return wrapped


def _page_number(value: str | None) -> int:
    try:
        return max(int(value or "1"), 1)
    except ValueError:
        return 1


def _article_urls(items: list[queue.QueueItem]) -> dict[int, str]:
    """Where each item's discussion is read: its article's page, else the thread's key (URL)."""
    thread_ids = {item.comment.thread_id for item in items}
    urls = {item.comment.thread_id: item.comment.thread.key for item in items}
    if thread_ids:
        for thread_id, slug in Article.objects.filter(thread_id__in=thread_ids).values_list(
            "thread_id", "slug"
        ):
            urls[thread_id] = reverse("web:article", args=[slug])
    return urls


@require_GET
@moderator_only
def queue_view(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    try:
        tab = queue.parse_tab(request.GET.get("tab"))
        page = queue.queue_page(
            viewer=viewer,
            tab=tab,
            page=_page_number(request.GET.get("page")),
            query=request.GET.get("q", ""),
        )
    except BroadsheetError as error:
        return domain_error_response(request, error)
    urls = _article_urls(page.items)
    for item in page.items:
        item.article_url = urls.get(item.comment.thread_id, "")
    context = {
        "queue": page,
        "tabs": queue.TAB_LABELS,
        "back": request.get_full_path(),
    }
    return render(request, "moderation/queue.html", context)


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("moderation:queue")


def _done(request: HttpRequest, message: str, payload: dict) -> HttpResponse:
    if wants_json(request):
        return JsonResponse({"ok": True, "message": message, **payload})
    messages.success(request, message)
    response = redirect(_back(request))
    response.status_code = 303
    return response


def _days(value: str | None, *, required: bool = False) -> int | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise InvalidInput("Give a number of days.", code="days_required", field="days")
        return None
    if not value.isdigit():
        raise InvalidInput("Days must be a whole number.", code="days_invalid", field="days")
    return int(value)


def _act(request: HttpRequest, comment_id: int, action: str) -> tuple[str, list[ModerationAction]]:
    """One decision on one comment; returns the message and the logged actions."""
    actor = request.user
    reason = request.POST.get("reason", "")
    if action == "approve":
        done = [services.comment_approve(comment_id=comment_id, actor=actor, reason=reason)]
        return "Approved.", done
    if action == "reject":
        done = [services.comment_reject(comment_id=comment_id, actor=actor, reason=reason)]
        return "Rejected.", done
    if action == "spam":
        done = [services.comment_mark_spam(comment_id=comment_id, actor=actor, reason=reason)]
        return "Marked as spam.", done
    if action == "feature":
        featured = request.POST.get("featured", "1") != "0"
        done = [services.comment_feature(comment_id=comment_id, actor=actor, featured=featured)]
        return ("Featured." if featured else "No longer featured."), done
    if action == "ban":
        days = _days(request.POST.get("days"))
        done = sanctions.commenter_ban(comment_id=comment_id, actor=actor, reason=reason, days=days)
        return "Banned.", done
    if action == "suspend":
        days = _days(request.POST.get("days"), required=True)
        user_id = sanctions.comment_author_id(comment_id=comment_id)
        done = [
            sanctions.user_suspend(
                user_id=user_id, actor=actor, days=days or 0, reason=reason, comment_id=comment_id
            )
        ]
        return f"Suspended for {days} day{'s' if days != 1 else ''}.", done
    if action == "shadow-ban":
        user_id = sanctions.comment_author_id(comment_id=comment_id)
        done = [
            sanctions.user_shadow_ban(
                user_id=user_id, actor=actor, reason=reason, comment_id=comment_id
            )
        ]
        return "Shadow-banned.", done
    if action in ("ban-address", "ban-email"):
        comment = Comment.objects.filter(pk=comment_id).only("address_hash", "guest_email_hash")
        found = comment.first()
        if found is None:
            raise NotFound("There is no such comment.")
        days = _days(request.POST.get("days"))
        if action == "ban-address":
            done = [
                sanctions.address_ban(
                    address_hash=found.address_hash, actor=actor, reason=reason, days=days,
                    comment_id=comment_id,
                )
            ]  # fmt: skip
            return "Address hash banned.", done
        done = [
            sanctions.email_ban(
                email_hash=found.guest_email_hash, actor=actor, reason=reason, days=days,
                comment_id=comment_id,
            )
        ]  # fmt: skip
        return "Guest e-mail hash banned.", done
    raise NotFound("There is no such action.")


ACTIONS = (
    "approve", "reject", "spam", "feature", "ban", "suspend", "shadow-ban", "ban-address",
    "ban-email",
)  # fmt: skip


@require_POST
@moderator_only
def comment_action(request: HttpRequest, comment_id: int, action: str) -> HttpResponse:
    try:
        message, done = _act(request, comment_id, action)
    except BroadsheetError as error:
        return domain_error_response(request, error)
    status = Comment.objects.filter(pk=comment_id).values_list("status", flat=True).first()
    return _done(
        request,
        message,
        {"comment": comment_id, "status": status, "actions": [a.pk for a in done]},
    )


@require_http_methods(["GET", "POST"])
@moderator_only
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Edit-and-approve: a page of its own (the no-JS path and the `e` shortcut's target)."""
    comment = Comment.objects.select_related("thread", "author").filter(pk=comment_id).first()
    if comment is None:
        return domain_error_response(request, NotFound("There is no such comment."))
    error = None
    body = comment.body_source
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            action = services.comment_edit_approve(
                comment_id=comment_id,
                actor=request.user,
                body=body,
                reason=request.POST.get("reason", ""),
            )
        except BroadsheetError as caught:
            if wants_json(request):
                return domain_error_response(request, caught)
            error = caught
        else:
            return _done(
                request,
                "Edited and approved.",
                {"comment": comment_id, "status": "published", "actions": [action.pk]},
            )
    context = {
        "comment": comment,
        "body": body,
        "form_error": error,
        "back": _back(request),
    }
    return render(request, "moderation/edit.html", context, status=error.status if error else 200)


@require_POST
@moderator_only
def bulk(request: HttpRequest) -> HttpResponse:
    """Approve, reject or mark as spam every selected comment (one log entry each)."""
    action = request.POST.get("action", "")
    try:
        ids = [int(v) for v in request.POST.getlist("ids") if v.strip()]
    except ValueError:
        return domain_error_response(
            request, InvalidInput("The selection holds an invalid id.", code="ids_invalid")
        )
    if not ids:
        return domain_error_response(
            request, InvalidInput("Select at least one comment.", code="nothing_selected")
        )
    if len(ids) > BULK_MAX:
        return domain_error_response(
            request, InvalidInput(f"Select at most {BULK_MAX} comments.", code="too_many")
        )
    try:
        if action == "approve":
            done = services.comments_approve_bulk(comment_ids=ids, actor=request.user)
        elif action in ("reject", "spam"):
            done = []
            for comment_id in ids:
                try:
                    _message, acted = _act(request, comment_id, action)
                except (Conflict, NotFound):
                    continue
                done.extend(acted)
        else:
            raise InvalidInput("Choose approve, reject or spam.", code="action_invalid")
    except BroadsheetError as error:
        return domain_error_response(request, error)
    verb = {"approve": "Approved", "reject": "Rejected", "spam": "Marked as spam"}[action]
    return _done(
        request,
        f"{verb}: {len(done)} of {len(ids)} comment{'s' if len(ids) != 1 else ''}.",
        {"comments": [a.comment_id for a in done], "actions": [a.pk for a in done]},
    )


@require_POST
@moderator_only
def action_revert(request: HttpRequest, action_id: int) -> HttpResponse:
    """Undoes one logged action (from the queue's history or the audit log)."""
    try:
        revert = services.revert_action(
            action_id=action_id, actor=request.user, reason=request.POST.get("reason", "")
        )
    except BroadsheetError as error:
        return domain_error_response(request, error)
    return _done(request, "Reverted.", {"action": revert.pk, "reverts": action_id})
