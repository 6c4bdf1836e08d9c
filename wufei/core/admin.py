"""Back office for the spine's plumbing: audit log (read-only), webhooks, official calendar.

The audit log cannot be added to, changed or deleted here: only `audit_append` writes it. A new
year of the official calendar is a `CalendarYear` (its notice) plus its `CalendarDay`s (or one
`wufei add_calendar_year` command); every save here touches the year, so that every process
rebuilds its cached working-day calendar.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest

from wufei.core.audit_models import (
    AuditChainHead,
    AuditEvent,
    CalendarDay,
    CalendarYear,
    WebhookDelivery,
    WebhookEndpoint,
)
from wufei.core.calendar import calendar_year_touch


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visible to staff with the view permission; nobody adds, changes or deletes."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("sequence", "occurred_at", "action", "subject_type", "subject_id", "actor")
    list_filter = ("action", "subject_type")
    search_fields = ("subject_id", "action", "entry_hash")
    date_hierarchy = "occurred_at"
    raw_id_fields = ("actor", "organisation")


@admin.register(AuditChainHead)
class AuditChainHeadAdmin(ReadOnlyAdmin):
    list_display = ("sequence", "entry_hash")


class WebhookDeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    extra = 0
    max_num = 0
    can_delete = False
    fields = ("event_type", "status", "attempts", "next_attempt_at", "last_status_code")
    readonly_fields = fields
    ordering = ("-created_at",)
    show_change_link = True


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "organisation", "is_active", "consecutive_failures", "created_at")
    list_filter = ("is_active",)
    search_fields = ("url", "organisation__name", "organisation__uscc")
    raw_id_fields = ("organisation",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    exclude = ("secret",)  # shown once, to the party, at creation through the API
    readonly_fields = ("consecutive_failures", "disabled_at", "created_at")
    inlines = (WebhookDeliveryInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # created through the API, which generates and shows the secret


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("event_type", "endpoint", "status", "attempts", "next_attempt_at")
    list_filter = ("status", "event_type")
    search_fields = ("endpoint__url", "event_type")


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source", "updated_at")
    search_fields = ("source",)

    def save_model(
        self, request: HttpRequest, obj: CalendarYear, form: ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        calendar_year_touch(year=obj.year)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("day", "kind", "name", "source")
    list_filter = ("kind",)
    date_hierarchy = "day"
    search_fields = ("name", "source")

    def save_model(
        self, request: HttpRequest, obj: CalendarDay, form: ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        calendar_year_touch(year=obj.day.year)

    def delete_model(self, request: HttpRequest, obj: CalendarDay) -> None:
        year = obj.day.year
        super().delete_model(request, obj)
        calendar_year_touch(year=year)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        years = {day.year for day in queryset.values_list("day", flat=True)}
        super().delete_queryset(request, queryset)
        for year in years:
            calendar_year_touch(year=year)
