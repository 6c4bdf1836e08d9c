"""Back office for the registry: search by code and name, filter by role and region."""

from __future__ import annotations

from django.contrib import admin

from wufei.accounts.models import Membership
from wufei.registry.models import Facility, Organisation, Park, Permit, Region, Vehicle


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "prefix", "name")
    raw_id_fields = ("parent",)


@admin.register(Park)
class ParkAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region", "area_km2")
    list_filter = ("kind",)
    search_fields = ("name", "region__name")
    raw_id_fields = ("region",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


class FacilityInline(admin.TabularInline):
    model = Facility
    extra = 0
    fields = ("code", "name", "kind", "region", "latitude", "longitude")
    raw_id_fields = ("region",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "uscc",
        "region",
        "is_producer",
        "is_carrier",
        "is_collector",
        "is_treatment",
        "is_small_producer",
    )
    list_filter = (
        "is_producer",
        "is_carrier",
        "is_collector",
        "is_treatment",
        "is_small_producer",
        "region__level",
    )
    search_fields = ("name", "uscc", "industry_name", "industry_code", "region__name")
    raw_id_fields = ("region", "park")
    inlines = (FacilityInline, MembershipInline)


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "organisation", "region")
    list_filter = ("kind",)
    search_fields = ("code", "name", "organisation__name", "organisation__uscc")
    raw_id_fields = ("organisation", "region")


@admin.register(Permit)
class PermitAdmin(admin.ModelAdmin):
    list_display = ("number", "kind", "organisation", "valid_from", "valid_until")
    list_filter = ("kind", "valid_until")
    search_fields = ("number", "organisation__name", "organisation__uscc", "issued_by")
    raw_id_fields = ("organisation", "facility")
    filter_horizontal = ("categories", "codes", "treatment_methods")
    date_hierarchy = "valid_until"


@admin.register(Vehicle)
class VehicleAdmin(admin.ModelAdmin):
    list_display = ("plate_number", "kind", "organisation", "payload_t", "valid_until")
    search_fields = ("plate_number", "transport_certificate", "organisation__name")
    raw_id_fields = ("organisation",)
