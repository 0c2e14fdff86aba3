"""Reply-notification pages: a member's preference, a guest's confirmation, unsubscribing.

Confirmation and unsubscribe links show a button on GET and act on POST, so a
mail scanner that prefetches links neither subscribes nor unsubscribes anyone.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from broadsheet.core.errors import BroadsheetError
from broadsheet.notifications import selectors, services
from broadsheet.notifications.models import ReplyMail
from broadsheet.notifications.tokens import USER
from broadsheet.web.errors import domain_error_response


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            services.reply_mail_preference_set(
                user=request.user, replies=request.POST.get("replies", "")
            )
        except BroadsheetError as error:
            return domain_error_response(request, error)
        messages.success(request, "Your notification settings are saved.")
        if request.POST.get("next") == "profile":
            response = redirect(reverse("accounts:profile") + "#notifications")
        else:
            response = redirect("web:notification-preferences")
        response.status_code = 303
        return response
    current = selectors.reply_mail_preference(user=request.user)
    return render(
        request,
        "notifications/preferences.html",
        {"current": current, "choices": ReplyMail.choices},
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """A guest's double opt-in: the page says nothing is sent until they press the button."""
    try:
        if request.method == "POST":
            services.guest_subscription_confirm(token=token)
            return render(request, "notifications/confirmed.html")
        subscription = services.guest_subscription_pending(token=token)
    except BroadsheetError as error:
        return _link_refused(request, error)
    return render(request, "notifications/confirm.html", {"subscription": subscription})


# The signed token in the address is the authority here, not a session: RFC 8058's one-click
# POST comes from the mail provider, without cookies or a CSRF token.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "POST":
            services.unsubscribe(token=token)
            return render(request, "notifications/unsubscribed.html")
        kind = services.unsubscribe_check(token=token)
    except BroadsheetError as error:
        return _link_refused(request, error)
    return render(request, "notifications/unsubscribe.html", {"is_member": kind == USER})


def _link_refused(request: HttpRequest, error: BroadsheetError) -> HttpResponse:
    return render(request, "notifications/link_refused.html", {"error": error}, status=error.status)
