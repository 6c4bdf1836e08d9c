"""Back-office views of the catalogs: read-only.

Catalog rows come from the shipped data (`wufei load_catalogs`) or a validated import
(`wufei import_catalog`). Editing them by hand would break their provenance and change what
records made under an edition mean (ADR 0004), so the admin only lets staff look things up.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from wufei.catalog.models import (
    CatalogEdition,
    Exemption,
    HazardousCategory,
    HazardousCode,
    TreatmentMethod,
    WasteClass,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(CatalogEdition)
class CatalogEditionAdmin(ReadOnlyAdmin):
    list_display = ["year", "title", "instrument", "effective_from", "effective_until"]
    search_fields = ["title", "instrument"]


@admin.register(HazardousCategory)
class HazardousCategoryAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "edition"]
    list_filter = ["edition"]
    search_fields = ["code", "name"]
    list_select_related = ["edition"]


@admin.register(HazardousCode)
class HazardousCodeAdmin(ReadOnlyAdmin):
    list_display = ["code", "category", "industry_source", "hazard_characteristics", "edition"]
    list_filter = ["edition", "category__code"]
    search_fields = ["code", "description", "industry_source", "category__name"]
    list_select_related = ["category", "edition"]
    list_per_page = 50


@admin.register(Exemption)
class ExemptionAdmin(ReadOnlyAdmin):
    list_display = ["item_no", "subject", "stage", "edition"]
    list_filter = ["edition", "stage"]
    search_fields = ["subject", "waste", "condition", "content"]
    list_select_related = ["edition"]


@admin.register(WasteClass)
class WasteClassAdmin(ReadOnlyAdmin):
    list_display = ["stream", "code", "name", "hazardous_code", "verified"]
    list_filter = ["stream", "verified"]
    search_fields = ["code", "name", "description", "source"]


@admin.register(TreatmentMethod)
class TreatmentMethodAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "verified"]
    list_filter = ["kind", "verified"]
    search_fields = ["code", "name"]
