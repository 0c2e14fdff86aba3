"""The moderators' back office beside the queue: the audit log, the word lists, the dashboard
with re-scoring, and (for admins) who holds the moderator role.

Moderators only (403 for others; sign in first); the role page and the
re-scoring button are for admins. Parse, make one domain call, render.
"""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from broadsheet.core.errors import BroadsheetError, InvalidInput
from broadsheet.moderation import audit, roles, stats, terms
from broadsheet.moderation.models import ActionKind, TermKind
from broadsheet.moderation.rescore_tasks import rescore_start
from broadsheet.moderation.rescoring import (
    MAX_DAYS,
    rescore_run_get,
    rescore_run_latest,
    run_percent,
)
from broadsheet.web import charts
from broadsheet.web.client import viewer_for
from broadsheet.web.errors import domain_error_response, error_response, wants_json

LOG_PER_PAGE = 50
POLL_SECONDS = 2
SHARE_SERIES = (
    charts.Series("approved", "Approved", "#4a8a4a"),
    charts.Series("held", "Held", "#d9a520"),
    charts.Series("rejected", "Rejected", "#b5523b"),
)

View = Callable[..., HttpResponse]


def moderator_required(view: View) -> View:
    """Sign in first; signed in without the moderator role: 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not viewer_for(request).is_moderator:
            return error_response(
                request, "This page is for moderators.", code="forbidden", status=403
            )
        return view(request, *args, **kwargs)

    return wrapped


def admin_required(view: View) -> View:
    """Superusers and staff allowed to change groups; others 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not roles.is_role_admin(request.user):
            return error_response(
                request, "This page is for administrators.", code="forbidden", status=403
            )
        return view(request, *args, **kwargs)

    return wrapped


def _see_other(to: str, *args: object, query: str = "") -> HttpResponse:
    response = redirect(to, *args)
    if query:
        response["Location"] += f"?{query}"
    response.status_code = 303
    return response


# -- the audit log ------------------------------------------------------------------------------


@require_GET
@moderator_required
def audit_log(request: HttpRequest) -> HttpResponse:
    values = {k: request.GET.get(k, "") for k in ("actor", "kind", "target", "comment")}
    values |= {k: request.GET.get(k, "") for k in ("since", "until")}
    context = {"values": values, "kinds": ActionKind.choices, "actors": audit.audit_actors()}
    try:
        filters = audit.audit_filter_parse(values)
    except InvalidInput as error:
        return render(
            request, "moderation/log.html", {**context, "form_error": error}, status=error.status
        )
    paginator = Paginator(audit.audit_log(filters=filters), LOG_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in values.items() if v})
    return render(
        request,
        "moderation/log.html",
        {**context, "page": page, "filters": filters, "query": query},
    )


# -- moderator roles ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@admin_required
def moderator_roles(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            if request.POST.get("action") == "revoke":
                raw = request.POST.get("user", "")
                if not raw.isdigit():
                    raise InvalidInput("Choose whom to remove.", code="user")
                action = roles.moderator_role_revoke(actor=request.user, user_id=int(raw))
                messages.success(
                    request, f"{action.target_user.display_name} is no longer a moderator."
                )
            else:
                action = roles.moderator_role_grant(
                    actor=request.user, email=request.POST.get("email", "")
                )
                messages.success(request, f"{action.target_user.display_name} is now a moderator.")
        except BroadsheetError as error:
            context = {
                "moderators": roles.moderators_list(),
                "form_error": error,
                "email": request.POST.get("email", ""),
            }
            return render(request, "moderation/roles.html", context, status=error.status)
        return _see_other("moderation_admin:roles")
    return render(request, "moderation/roles.html", {"moderators": roles.moderators_list()})


# -- word lists ---------------------------------------------------------------------------------


def _terms_page(request: HttpRequest, status: int = 200, **extra: object) -> HttpResponse:
    context = {
        "terms": terms.terms_list(),
        "kinds": TermKind.choices,
        "categories": terms.TERM_CATEGORIES,
        **extra,
    }
    return render(request, "moderation/terms.html", context, status=status)


@require_http_methods(["GET", "POST"])
@moderator_required
def term_list(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _terms_page(request)
    values = {k: request.POST.get(k, "") for k in ("kind", "text", "category")}
    try:
        term = terms.term_add(actor=request.user, **values)
    except BroadsheetError as error:
        return _terms_page(request, status=error.status, form_error=error, values=values)
    messages.success(request, f"“{term.text}” is on the {term.get_kind_display()} list.")
    return _see_other("moderation_admin:terms")


@require_POST
@moderator_required
def term_remove(request: HttpRequest, term_id: int) -> HttpResponse:
    try:
        term = terms.term_remove(term_id=term_id)
    except BroadsheetError as error:
        return domain_error_response(request, error)
    messages.success(request, f"“{term.text}” is off the list.")
    return _see_other("moderation_admin:terms")


# -- the dashboard and re-scoring ---------------------------------------------------------------


def _charts(figures: stats.DashboardStats) -> dict[str, str]:
    hours = [timezone.localtime(hour) for hour, _ in figures.per_hour]
    # Tooltips name the hour; the axis names each day at its first hour.
    per_hour = charts.bar_chart(
        [(f"{h:%d %b %H}:00", n) for h, (_, n) in zip(hours, figures.per_hour, strict=True)],
        title=f"Comments per hour, last {figures.days} days",
        axis_labels=[
            f"{h:%d %b}" if h.hour == 0 and (figures.days <= 7 or h.day % 5 == 1) else ""
            for h in hours
        ],
    )
    per_day = charts.stacked_bar_chart(
        [
            (
                d.day.strftime("%d %b"),
                {"approved": d.approved, "held": d.held, "rejected": d.rejected},
            )
            for d in figures.per_day
        ],
        SHARE_SERIES,
        title=f"Approved, held and rejected comments per day, last {figures.days} days",
        label_every=1 if figures.days <= 7 else 5,
    )
    shares = figures.shares
    share = charts.share_bar(
        [(s, shares[s.key]) for s in SHARE_SERIES],
        title=f"Shares of approved, held and rejected comments, last {figures.days} days",
    )
    flagged = charts.horizontal_bar_chart(
        [(t.title, t.flags) for t in figures.most_flagged],
        title=f"Most-flagged discussions, last {figures.days} days",
    )
    return {"per_hour": per_hour, "per_day": per_day, "share": share, "flagged": flagged}


def _duration_words(value) -> str:
    if value is None:
        return "—"
    seconds = int(value.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 120:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min"
    return f"{hours // 24} days {hours % 24} h"


@require_GET
@moderator_required
def dashboard(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("days", "7")
    days = int(raw) if raw.isdigit() and int(raw) in stats.WINDOWS else stats.WINDOWS[0]
    figures = stats.dashboard_stats(days=days)
    latest = rescore_run_latest()
    context = {
        "figures": figures,
        "charts": _charts(figures),
        "windows": stats.WINDOWS,
        "median": _duration_words(figures.median_to_decision),
        "is_admin": roles.is_role_admin(request.user),
        "latest_run": latest,
        "latest_percent": run_percent(latest) if latest else None,
        "max_days": MAX_DAYS,
    }
    return render(request, "moderation/dashboard.html", context)


@require_POST
@admin_required
def rescore(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("days", "7")
    try:
        if not raw.isdigit():
            raise InvalidInput("The number of days is a whole number.", code="days")
        state = rescore_start(
            days=int(raw),
            apply=request.POST.get("apply") == "1",
            actor=request.user,
            preview=request.POST.get("preview", ""),
        )
    except BroadsheetError as error:
        return domain_error_response(request, error)
    if wants_json(request):
        return JsonResponse({"id": state["id"], "status": state["status"]}, status=202)
    return _see_other("moderation_admin:rescore-run", state["id"])


@require_GET
@moderator_required
def rescore_run(request: HttpRequest, run_id: str) -> HttpResponse:
    state = rescore_run_get(run_id=run_id)
    if state is None:
        return error_response(
            request, "There is no such re-scoring run (it may have expired).", status=404
        )
    percent = run_percent(state)
    if wants_json(request):
        return JsonResponse({**state, "percent": percent})
    context = {
        "run": state,
        "percent": percent,
        "finished": state["status"] in ("done", "failed"),
        "poll_seconds": POLL_SECONDS,
        "is_admin": roles.is_role_admin(request.user),
    }
    return render(request, "moderation/rescore.html", context)
