"""Accounts in the Django admin: find people, and grant or withdraw staff rights and access.

Names, addresses and passwords change only through the account services (which
check confusable names, verify addresses and validate passwords), so here they
are read-only; accounts are created by signing up, or by `createsuperuser`.
API tokens are made and revoked here for any member, through the same services.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from broadsheet.core.errors import BroadsheetError

from . import services
from .models import ApiToken, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = (
        "email",
        "display_name",
        "email_verified",
        "is_staff",
        "is_active",
        "date_joined",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("email", "display_name")
    ordering = ("-date_joined",)
    filter_horizontal = ("groups", "user_permissions")
    readonly_fields = (
        "email", "display_name", "name_key", "bio", "avatar_key", "email_verified_at",
        "date_joined", "last_login",
    )  # fmt: skip
    fieldsets = (
        (None, {"fields": ("email", "email_verified_at", "display_name", "name_key", "bio")}),
        ("Picture", {"fields": ("avatar_key",)}),
        (
            "Access",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("date_joined", "last_login")}),
    )

    @admin.display(boolean=True, description="verified", ordering="email_verified_at")
    def email_verified(self, user: User) -> bool:
        return user.email_verified

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class ApiTokenAddForm(forms.ModelForm):
    """Who the token is for, its name and scope; the secret is made by `token_create`."""

    class Meta:
        model = ApiToken
        fields = ("user", "name", "scope")

    def clean(self) -> dict:
        cleaned = super().clean()
        try:
            services.check_token_name(cleaned.get("name") or "")
            services.check_token_scope(cleaned.get("scope") or "")
        except BroadsheetError as error:
            raise forms.ValidationError(error.message, code=error.code) from None
        return cleaned


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Admins make tokens for any member (the secret is shown once, as a message) and revoke them.

    A token is never edited: its scope or name changes by making a new one.
    """

    list_display = ("name", "prefix", "user", "scope", "created_at", "last_used_at", "revoked_at")
    list_filter = ("scope", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "prefix", "user__display_name", "user__email")
    list_select_related = ("user",)
    ordering = ("-created_at",)
    autocomplete_fields = ("user",)
    actions = ("revoke",)
    readonly_fields = (
        "user", "name", "prefix", "scope", "created_at", "last_used_at", "revoked_at",
    )  # fmt: skip

    def get_form(self, request: HttpRequest, obj: ApiToken | None = None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenAddForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None):
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None):
        return self.readonly_fields if obj is not None else ApiTokenAddForm.Meta.fields

    def save_model(self, request: HttpRequest, obj: ApiToken, form, change: bool) -> None:
        if change:
            return
        try:
            token, plaintext = services.token_create(user=obj.user, name=obj.name, scope=obj.scope)
        except BroadsheetError as error:
            # Checked by the form; only a race (a twenty-first token) gets here.
            raise PermissionDenied(error.message) from None
        obj.pk, obj.prefix, obj.created_at = token.pk, token.prefix, token.created_at
        obj.secret_hash = token.secret_hash
        messages.warning(
            request,
            f"The token for {token.user} is {plaintext} — copy it now: it is not shown again.",
        )

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        # Viewable, never edited: the change page is read-only and has no save button.
        return False if obj is not None else super().has_change_permission(request, obj)

    @admin.action(description="Revoke the selected tokens", permissions=["delete"])
    def revoke(self, request: HttpRequest, queryset) -> None:
        for token in queryset:
            services.token_revoke(token_id=token.pk, actor=request.user)
        self.message_user(request, f"Revoked {queryset.count()} token(s).", messages.SUCCESS)
