"""API shapes of the ledger. Masses are integer grams (`quantity_g`) with a kg decimal string
beside them; input masses are decimal strings in kg or t, converted exactly."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from wufei.domain.ledger_units import grams_as
from wufei.ledger.models import ImportBatch, LedgerEvent


class EventIn(Schema):
    organisation: str = Field(..., description="USCC of the unit whose ledger this is")
    kind: str = Field(
        ..., description="generate · store_in · store_out · treat_in_house · hand_over"
    )
    occurred_at: datetime
    quantity: Decimal = Field(..., description="in `unit`, exact to the gram")
    unit: str = Field("kg", description="kg or t")
    handled_by: str = ""
    facility: str = Field("", description="facility code; store-out and hand-over: the source's")
    waste_code: str = Field("", description="e.g. 900-249-08; steps with a source: the source's")
    source: str = Field("", description="batch code of the batch this step takes from")
    batch_code: str = Field("", description="empty: allocated (HWCS20240105001 …)")
    container_code: str = ""
    container_type: str = ""
    container_count: int = 0
    internal_name: str = ""
    treatment_method: str = Field("", description="R/D code, e.g. D10")
    finished_at: datetime | None = None
    destination: str = ""
    receiver_type: str = ""
    receiver_permit_number: str = ""
    second_handler: str = ""


class EventOut(Schema):
    id: int
    organisation: str
    kind: str
    batch_code: str
    occurred_at: datetime
    facility: str
    waste_code: str
    category: str
    quantity_g: int
    quantity_kg: str
    unit: str
    source: str | None
    container_code: str
    container_type: str
    container_count: int
    internal_name: str
    treatment_method: str | None
    finished_at: datetime | None
    destination: str
    receiver_type: str
    receiver_permit_number: str
    manifest: str | None
    handled_by: str
    second_handler: str

    @staticmethod
    def resolve_organisation(obj: LedgerEvent) -> str:
        return obj.organisation.uscc

    @staticmethod
    def resolve_facility(obj: LedgerEvent) -> str:
        return obj.facility.code

    @staticmethod
    def resolve_waste_code(obj: LedgerEvent) -> str:
        return obj.waste_code.code

    @staticmethod
    def resolve_category(obj: LedgerEvent) -> str:
        return obj.waste_code.category.code

    @staticmethod
    def resolve_quantity_kg(obj: LedgerEvent) -> str:
        return grams_as(obj.quantity_g, "kg")

    @staticmethod
    def resolve_source(obj: LedgerEvent) -> str | None:
        return obj.source.batch_code if obj.source_id and obj.source else None

    @staticmethod
    def resolve_treatment_method(obj: LedgerEvent) -> str | None:
        return obj.treatment_method.code if obj.treatment_method else None

    @staticmethod
    def resolve_manifest(obj: LedgerEvent) -> str | None:
        return obj.manifest.number if obj.manifest_id and obj.manifest else None


class EventFilters(Schema):
    organisation: str = Field("", description="USCC")
    kind: str = ""
    start: date | None = Field(None, description="first day, included")
    end: date | None = Field(None, description="last day, included")
    waste_code: str = ""
    facility: str = ""
    search: str = ""


class StockOut(Schema):
    facility: str
    facility_name: str
    waste_code: str
    grams: int
    tonnes: str


class BalanceRowOut(Schema):
    facility: str | None = None
    waste_code: str
    opening_g: int
    generated_g: int
    received_g: int
    moved_in_g: int
    treated_g: int
    handed_over_g: int
    moved_out_g: int
    closing_g: int
    closes: bool


class BalanceOut(Schema):
    organisation: str
    start: datetime
    end: datetime
    closes: bool
    rows: list[BalanceRowOut]
    totals: list[BalanceRowOut]


class FilingOut(Schema):
    kind: str
    period_start: date
    period_end: date
    due: date
    clause: str


class TierOut(Schema):
    organisation: str
    tier: str
    reasons: list[str]
    annual_g: int
    annual_basis: str
    annual_years: list[int]
    operating_since: date | None
    yearly_g: dict[int, int]
    upcoming: list[FilingOut]


class ImportOut(Schema):
    id: int
    organisation: str
    filename: str
    table: str
    status: str
    phase: str
    rows_total: int
    rows_done: int
    error_count: int
    errors: list[dict[str, Any]]
    totals: dict[str, Any]
    sha256: str
    started_at: datetime
    finished_at: datetime | None

    @staticmethod
    def resolve_organisation(obj: ImportBatch) -> str:
        return obj.organisation.uscc
