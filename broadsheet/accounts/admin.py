"""Accounts in the Django admin: find people, and grant or withdraw staff rights and access.

Names, addresses and passwords change only through the account services (which
check confusable names, verify addresses and validate passwords), so here they
are read-only; accounts are created by signing up, or by `createsuperuser`.
"""

from django.contrib import admin
from django.http import HttpRequest

from .models import User


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
