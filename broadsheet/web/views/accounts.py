"""Account pages: sign-up, verification, sign-in and out, password reset, profile, API tokens.

Each view parses the request with a plain form, makes one call to
`broadsheet.accounts.services`, and renders or redirects. A refused request
comes back as its page with the message beside the field, with a 4xx status.
"""

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from broadsheet.accounts import avatars, selectors, services
from broadsheet.core.errors import BroadsheetError
from broadsheet.web.forms.accounts import (
    ApiTokenForm,
    AvatarForm,
    EmailChangeForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
    ProfileForm,
    ResetPasswordForm,
    SignupForm,
    add_domain_error,
)
from broadsheet.web.views.embed import keep_opener

# Sign-up signs the new member in directly; django-axes's backend only counts failures.
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _see_other(to: str, *args) -> HttpResponse:
    response = redirect(to, *args)
    response.status_code = 303
    return response


# -- sign-up and verification --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignupForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            try:
                user = services.user_register(**form.cleaned_data)
            except BroadsheetError as error:
                add_domain_error(form, error)
                status = error.status
            else:
                login(request, user, backend=SESSION_BACKEND)
                return _see_other("accounts:verify-sent")
    return render(request, "accounts/signup.html", {"form": form}, status=status)


@require_GET
@login_required
def verify_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/verify_sent.html")


@require_GET
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = services.user_verify_email(token=token)
    except BroadsheetError as error:
        return render(request, "accounts/link_refused.html", {"error": error}, status=error.status)
    return render(request, "accounts/verified.html", {"verified_user": user})


@require_POST
@login_required
def verify_resend(request: HttpRequest) -> HttpResponse:
    try:
        services.user_resend_verification(user=request.user)
    except BroadsheetError as error:
        return _profile_page(request, status=error.status, resend_error=error.message)
    return _see_other("accounts:verify-sent")


# -- sign-in and out -------------------------------------------------------------------------------

_login = auth_views.LoginView.as_view(
    template_name="accounts/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
)


def login_view(request: HttpRequest) -> HttpResponse:
    response = _login(request)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url.startswith(reverse("web:embed-sign-in")):
        keep_opener(response)
    return response


logout_view = auth_views.LogoutView.as_view()


# -- password reset (Django's views, our forms and pages) -----------------------------------------

password_reset = auth_views.PasswordResetView.as_view(
    form_class=PasswordResetRequestForm,
    template_name="accounts/password_reset.html",
    success_url=reverse_lazy("accounts:password-reset-done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    form_class=ResetPasswordForm,
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password-reset-complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


# -- the profile ----------------------------------------------------------------------------------


def _profile_page(request: HttpRequest, *, status: int = 200, **bound) -> HttpResponse:
    """The profile with fresh forms, except the one being answered (bound, with its errors)."""
    user = request.user
    context = {
        "profile_form": ProfileForm(initial={"display_name": user.display_name, "bio": user.bio}),
        "avatar_form": AvatarForm(),
        "email_form": EmailChangeForm(),
        "password_form": PasswordChangeForm(),
        "sizes": avatars.SIZES,
        **bound,
    }
    return render(request, "accounts/profile.html", context, status=status)


@require_GET
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return _profile_page(request)


@require_POST
@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, status=400, profile_form=form)
    try:
        services.user_update_profile(user=request.user, **form.cleaned_data)
    except BroadsheetError as error:
        add_domain_error(form, error)
        return _profile_page(request, status=error.status, profile_form=form)
    messages.success(request, "Your profile is saved.")
    return _see_other("accounts:profile")


@require_POST
@login_required
def avatar_upload(request: HttpRequest) -> HttpResponse:
    form = AvatarForm(request.POST, request.FILES)
    if not form.is_valid():
        return _profile_page(request, status=400, avatar_form=form)
    try:
        services.user_set_avatar(user=request.user, upload=form.cleaned_data["avatar"])
    except BroadsheetError as error:
        add_domain_error(form, error)
        status = 413 if error.code == "avatar_too_large" else error.status
        return _profile_page(request, status=status, avatar_form=form)
    messages.success(request, "Your new picture is in place.")
    return _see_other("accounts:profile")


@require_POST
@login_required
def avatar_remove(request: HttpRequest) -> HttpResponse:
    services.user_remove_avatar(user=request.user)
    messages.success(request, "Your picture is removed; you have your pattern again.")
    return _see_other("accounts:profile")


@require_POST
@login_required
def email_change(request: HttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, status=400, email_form=form)
    try:
        new_email = services.user_change_email(user=request.user, **form.cleaned_data)
    except BroadsheetError as error:
        add_domain_error(form, error)
        return _profile_page(request, status=error.status, email_form=form)
    messages.success(
        request,
        f"We sent a link to {new_email}. Your address changes when you open it; "
        "until then you keep the current one.",
    )
    return _see_other("accounts:profile")


@require_GET
def email_change_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = services.user_confirm_email_change(token=token)
    except BroadsheetError as error:
        return render(request, "accounts/link_refused.html", {"error": error}, status=error.status)
    return render(request, "accounts/email_changed.html", {"changed_user": user})


@require_POST
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, status=400, password_form=form)
    try:
        user = services.user_change_password(
            user=request.user,
            current_password=form.cleaned_data["current_password"],
            new_password=form.cleaned_data["new_password"],
        )
    except BroadsheetError as error:
        add_domain_error(form, error)
        return _profile_page(request, status=error.status, password_form=form)
    # Other sessions end (their hash no longer matches); this one carries on.
    update_session_auth_hash(request, user)
    messages.success(request, "Your password is changed.")
    return _see_other("accounts:profile")


# -- API tokens -----------------------------------------------------------------------------------


def _tokens_page(request: HttpRequest, *, status: int = 200, **extra) -> HttpResponse:
    context = {
        "tokens": selectors.tokens_of(user=request.user),
        "form": ApiTokenForm(),
        **extra,
    }
    return render(request, "accounts/api_tokens.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The member's tokens; a POST makes one and shows its secret on this answer only.

    Rendered, not redirected: the secret must not sit in the session's messages.
    """
    if request.method == "GET":
        return _tokens_page(request)
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _tokens_page(request, status=400, form=form)
    try:
        token, plaintext = services.token_create(user=request.user, **form.cleaned_data)
    except BroadsheetError as error:
        add_domain_error(form, error)
        return _tokens_page(request, status=error.status, form=form)
    return _tokens_page(request, status=201, new_token=token, plaintext=plaintext)


@require_POST
@login_required
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = services.token_revoke(token_id=token_id, actor=request.user)
    except BroadsheetError as error:
        return _tokens_page(request, status=error.status, revoke_error=error.message)
    messages.success(request, f"The token “{token.name}” is revoked.")
    return _see_other("accounts:api-tokens")
