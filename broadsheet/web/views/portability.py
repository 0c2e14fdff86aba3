"""A member's own data, from their profile: download everything, or erase the account.

Each view parses the request, makes one call to `broadsheet.portability.erasure`,
and answers. Erasing asks for the password again: it cannot be undone, and a
signed-in browser left open must not be enough.
"""

from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from broadsheet.core.clock import now
from broadsheet.core.errors import BroadsheetError
from broadsheet.portability.erasure import user_data_chunks, user_erase
from broadsheet.web.forms.accounts import add_domain_error


class EraseForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


@require_GET
@login_required
@never_cache
def data_download(request: HttpRequest) -> HttpResponse:
    # One member's data is small enough to build whole; a plain response keeps
    # the database reads inside the request under ASGI too.
    body = "".join(user_data_chunks(user=request.user))
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"broadsheet-my-data-{now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def erase(request: HttpRequest) -> HttpResponse:
    form = EraseForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            try:
                user_erase(user=request.user, password=form.cleaned_data["password"])
            except BroadsheetError as error:
                add_domain_error(form, error)
                status = error.status
            else:
                logout(request)
                response = redirect("accounts:erased")
                response.status_code = 303
                return response
    comments = request.user.comments.count()
    return render(
        request, "portability/erase.html", {"form": form, "comments": comments}, status=status
    )


@require_GET
def erased(request: HttpRequest) -> HttpResponse:
    return render(request, "portability/erased.html")
