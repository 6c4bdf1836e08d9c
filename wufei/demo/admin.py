"""Back office for the demo generator's records: what a district holds and plans each year."""

from __future__ import annotations

from django.contrib import admin

from wufei.demo.models import (
    DemoDistrict,
    DemoFacilityCapacity,
    DemoIncident,
    DemoOrganisation,
    DemoStreamTotal,
    DemoWasteProfile,
)


class DemoStreamTotalInline(admin.TabularInline):
    model = DemoStreamTotal
    extra = 0


@admin.register(DemoDistrict)
class DemoDistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "year", "seed", "scale", "created_at")
    raw_id_fields = ("region",)
    filter_horizontal = ("parks",)
    readonly_fields = ("townships", "users")
    inlines = (DemoStreamTotalInline,)


@admin.register(DemoOrganisation)
class DemoOrganisationAdmin(admin.ModelAdmin):
    list_display = ("key", "organisation", "archetype", "district")
    list_filter = ("archetype",)
    search_fields = ("key", "organisation__name", "organisation__uscc")
    raw_id_fields = ("organisation",)


@admin.register(DemoWasteProfile)
class DemoWasteProfileAdmin(admin.ModelAdmin):
    list_display = (
        "organisation",
        "stream",
        "hazardous_code",
        "waste_class",
        "annual_t",
        "receiver",
        "treatment_method",
    )
    list_filter = ("stream", "treatment_method")
    search_fields = ("organisation__name", "hazardous_code__code", "waste_class__code")
    raw_id_fields = ("organisation", "hazardous_code", "waste_class", "receiver", "final_receiver")
    list_select_related = (
        "organisation",
        "hazardous_code",
        "waste_class",
        "receiver",
        "treatment_method",
    )


@admin.register(DemoFacilityCapacity)
class DemoFacilityCapacityAdmin(admin.ModelAdmin):
    list_display = ("facility", "stream", "annual_capacity_t")
    list_filter = ("stream",)
    raw_id_fields = ("facility",)


@admin.register(DemoIncident)
class DemoIncidentAdmin(admin.ModelAdmin):
    """The problems the demo year seeds on purpose, so a reviewer can find each one."""

    list_display = ("kind", "organisation", "manifest", "district")
    list_filter = ("kind",)
    raw_id_fields = ("organisation", "manifest")
