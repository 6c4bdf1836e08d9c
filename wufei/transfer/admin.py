"""Back office for transfer documents.

Signed records are evidence: the back office may read manifests, signatures, discrepancies and
revisions but never change them (a correction is a revision, signed by the parties). Approvals
and counters are reference data an administrator may correct.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from wufei.transfer.models import (
    ApprovalItem,
    CrossProvinceApproval,
    Discrepancy,
    Manifest,
    ManifestCarrier,
    ManifestLine,
    Revision,
    Signature,
)


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LineInline(ReadOnlyMixin, admin.TabularInline):
    model = ManifestLine
    extra = 0
    exclude = ("containers",)


class CarrierInline(ReadOnlyMixin, admin.TabularInline):
    model = ManifestCarrier
    extra = 0


@admin.register(Manifest)
class ManifestAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("number", "doc_type", "status", "shipper", "receiver", "planned_on")
    list_filter = ("doc_type", "status", "return_status", "has_discrepancy")
    search_fields = ("number", "shipper__name", "receiver__name")
    inlines = (LineInline, CarrierInline)


@admin.register(Signature)
class SignatureAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("manifest", "action", "party", "organisation", "signer", "signed_at")
    list_filter = ("action", "party")
    search_fields = ("manifest__number", "content_hash")
    exclude = ("copy_of_record",)


@admin.register(Discrepancy)
class DiscrepancyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("manifest", "field", "declared", "observed", "recorded_at")
    list_filter = ("field",)


@admin.register(Revision)
class RevisionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("manifest", "state", "from_version", "requesting_party", "created_at")
    list_filter = ("state",)


class ApprovalItemInline(admin.TabularInline):
    model = ApprovalItem
    extra = 0


@admin.register(CrossProvinceApproval)
class CrossProvinceApprovalAdmin(admin.ModelAdmin):
    list_display = ("number", "shipper", "receiver", "valid_from", "valid_until")
    search_fields = ("number", "shipper__name", "receiver__name")
    inlines = (ApprovalItemInline,)
