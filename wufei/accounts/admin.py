"""Back office for accounts: users with their memberships and regulator scopes inline."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from wufei.accounts.models import ApiToken, Membership, RegulatorScope, User
from wufei.accounts.tokens import token_revoke


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("organisation",)


class RegulatorScopeInline(admin.TabularInline):
    model = RegulatorScope
    extra = 0
    raw_id_fields = ("region",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Wufei"), {"fields": ("display_name", "phone")}),
    )
    list_display = ("username", "display_name", "email", "is_staff", "is_superuser", "is_active")
    search_fields = ("username", "display_name", "email", "phone")
    inlines = (MembershipInline, RegulatorScopeInline)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "organisation__name", "organisation__uscc")
    raw_id_fields = ("user", "organisation")


@admin.register(RegulatorScope)
class RegulatorScopeAdmin(admin.ModelAdmin):
    list_display = ("user", "region", "authority")
    search_fields = ("user__username", "region__name", "region__code", "authority")
    raw_id_fields = ("user", "region")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created with `wufei create_token`; here they can be inspected and revoked."""

    list_display = (
        "prefix",
        "user",
        "name",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "name", "user__username")
    readonly_fields = ("user", "prefix", "digest", "created_at", "last_used_at")
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            token_revoke(token=token)
