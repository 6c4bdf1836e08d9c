"""The rules a ledger event must keep, each named after its source in HJ 1259-2022.

Every rule is a function that returns nothing and raises `ValidationFailed` with a code, the
field it is about and a message naming the clause. They take plain values (and events already
loaded), so the single-record service and the streaming import apply the very same rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from wufei.catalog.models import CatalogEdition, HazardousCode
from wufei.core.errors import ValidationFailed
from wufei.domain.ledger_units import grams_as
from wufei.ledger.models import SOURCE_KINDS, EventKind, LedgerEvent
from wufei.registry.models import Facility, FacilityKind, Organisation

# A single record above this is taken for a typing error (kg typed as t, a digit too many).
DEFAULT_MAX_RECORD_G = 10_000 * 1_000_000  # 10,000 t


def max_record_g() -> int:
    return int(getattr(settings, "WUFEI_LEDGER_MAX_RECORD_G", DEFAULT_MAX_RECORD_G))


# HJ 1259-2022 6.3.1–6.3.5: what each step must record (beyond time, code, quantity and unit,
# which every step has). Values are (field, clause).
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    EventKind.GENERATE: ("facility", "handled_by"),
    EventKind.STORE_IN: ("facility", "handled_by", "source"),
    EventKind.STORE_OUT: ("facility", "handled_by", "source"),
    EventKind.TREAT_IN_HOUSE: ("facility", "handled_by", "source", "treatment_method"),
    EventKind.HAND_OVER: (
        "facility",
        "source",
        "treatment_method",
        "receiver_type",
        "destination",
    ),
    EventKind.RECEIVE: ("facility", "handled_by"),
}
CLAUSE: dict[str, str] = {
    EventKind.GENERATE: "HJ 1259-2022 6.3.1",
    EventKind.STORE_IN: "HJ 1259-2022 6.3.2",
    EventKind.STORE_OUT: "HJ 1259-2022 6.3.3",
    EventKind.TREAT_IN_HOUSE: "HJ 1259-2022 6.3.4",
    EventKind.HAND_OVER: "HJ 1259-2022 6.3.5",
    EventKind.RECEIVE: "HJ 1259-2022 6.1.2",
}
# 接收单位类型 of table B.5: a licensed unit needs its licence number, an exempt unit none,
# a unit abroad its export approval number (出口核准通知单编号).
RECEIVER_LICENSED = "危险废物经营许可证持有单位"
RECEIVER_EXEMPT = "危险废物利用处置环节豁免管理单位"
RECEIVER_ABROAD = "中华人民共和国境外的危险废物利用处置单位"
RECEIVER_TYPES = (RECEIVER_LICENSED, RECEIVER_EXEMPT, RECEIVER_ABROAD)

# Which facilities each step happens at (HJ 1259-2022 6.3: 产生危险废物设施编码, 贮存设施编码,
# 自行利用/处置设施编码; GB 18597 storage facilities include collection and transfer stores).
STORAGE_KINDS = (FacilityKind.STORAGE, FacilityKind.COLLECTION_POINT, FacilityKind.TRANSFER_STATION)
TREATMENT_KINDS = (
    FacilityKind.IN_HOUSE_TREATMENT,
    FacilityKind.TREATMENT,
    FacilityKind.INCINERATION,
    FacilityKind.LANDFILL,
    FacilityKind.RECYCLING,
)
FACILITY_KINDS: dict[str, tuple[str, ...]] = {
    EventKind.GENERATE: (FacilityKind.GENERATION, *TREATMENT_KINDS),
    EventKind.STORE_IN: STORAGE_KINDS,
    EventKind.STORE_OUT: STORAGE_KINDS,
    EventKind.TREAT_IN_HOUSE: TREATMENT_KINDS,
    EventKind.RECEIVE: (*STORAGE_KINDS, *TREATMENT_KINDS),
    EventKind.HAND_OVER: tuple(FacilityKind.values),  # where the waste is: the source's
}
# Steps whose waste stays where the source holds it (a store-out leaves the store it was in;
# a hand-over leaves from where the waste is).
SAME_FACILITY_AS_SOURCE = (EventKind.STORE_OUT, EventKind.HAND_OVER)


def _kind_label(kind: str) -> str:
    return str(EventKind(kind).label)


def _field_label(name: str) -> str:
    labels = {
        "facility": _("facility code"),
        "handled_by": _("person responsible"),
        "source": _("source batch code"),
        "treatment_method": _("treatment method"),
        "receiver_type": _("receiver type"),
        "destination": _("receiving unit"),
    }
    return str(labels.get(name, name))


def rule_required_fields(
    kind: str, values: Mapping[str, Any], *, optional: tuple[str, ...] = ()
) -> None:
    """HJ 1259-2022 6.3.1–6.3.5: each step records its own columns of appendix B (`optional`:
    columns another record supplies, e.g. the treatment method of a manifest's receiver)."""
    for name in REQUIRED_FIELDS[kind]:
        if name in optional:
            continue
        value = values.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ValidationFailed(
                _("%(step)s must record “%(field)s” (%(clause)s).")
                % {"step": _kind_label(kind), "field": _field_label(name), "clause": CLAUSE[kind]},
                code="required",
                field=name,
            )
    if kind == EventKind.HAND_OVER:
        rule_receiver_documented(
            str(values.get("receiver_type", "")), str(values.get("receiver_permit_number", ""))
        )


def rule_receiver_documented(receiver_type: str, permit_number: str) -> None:
    """HJ 1259-2022 6.3.5 / table B.5: the receiver's type, and its licence or export approval."""
    if receiver_type not in RECEIVER_TYPES:
        raise ValidationFailed(
            _("Receiver type must be one of: %(types)s (HJ 1259-2022 table B.5).")
            % {"types": "、".join(RECEIVER_TYPES)},
            code="receiver_type_unknown",
            field="receiver_type",
        )
    if receiver_type != RECEIVER_EXEMPT and not permit_number.strip():
        raise ValidationFailed(
            _(
                "A hand-over to a licensed unit names its licence number, one abroad its "
                "export approval number (HJ 1259-2022 6.3.5)."
            ),
            code="receiver_permit_missing",
            field="receiver_permit_number",
        )


def rule_quantity_positive(quantity_g: int) -> None:
    """HJ 1259-2022 4.1.2: a recorded quantity is a true quantity, so more than nothing."""
    if quantity_g <= 0:
        raise ValidationFailed(
            _("The quantity must be more than zero (HJ 1259-2022 4.1.2)."),
            code="quantity_not_positive",
            field="quantity_g",
        )


def rule_quantity_plausible(quantity_g: int, *, ceiling_g: int | None = None) -> None:
    """HJ 1259-2022 4.1.2 (accuracy): one record above the ceiling is a typing error."""
    ceiling = max_record_g() if ceiling_g is None else ceiling_g
    if quantity_g > ceiling:
        raise ValidationFailed(
            _(
                "%(quantity)s t in one record is implausible (more than %(ceiling)s t); check "
                "the unit (HJ 1259-2022 4.1.2: records must be accurate)."
            )
            % {"quantity": grams_as(quantity_g, "t"), "ceiling": grams_as(ceiling, "t")},
            code="quantity_implausible",
            field="quantity_g",
        )


def rule_time_not_future(occurred_at: datetime, *, now: datetime) -> None:
    """HJ 1259-2022 4.1.2: the ledger records what happened, not what is planned."""
    if occurred_at > now:
        raise ValidationFailed(
            _("The time lies in the future (HJ 1259-2022 4.1.2: records must be true)."),
            code="time_in_future",
            field="occurred_at",
        )


def rule_finished_after_start(occurred_at: datetime, finished_at: datetime | None) -> None:
    """HJ 1259-2022 table B.4: 自行利用/处置完毕时间 cannot precede the treatment time."""
    if finished_at is not None and finished_at < occurred_at:
        raise ValidationFailed(
            _("Treatment cannot finish before it starts (HJ 1259-2022 6.3.4)."),
            code="finished_before_start",
            field="finished_at",
        )


def rule_facility_of_organisation(facility: Facility, organisation: Organisation) -> None:
    """HJ 1259-2022 5.4.2, 6.3: facility codes are the unit's own facilities."""
    if facility.organisation_id != organisation.pk:
        raise ValidationFailed(
            _("Facility %(code)s is not a facility of %(org)s (HJ 1259-2022 5.4.2).")
            % {"code": facility.code, "org": organisation.name},
            code="facility_not_of_organisation",
            field="facility",
        )


def rule_facility_fits_kind(kind: str, facility_kind: str, facility_code: str) -> None:
    """HJ 1259-2022 6.3: storage steps at a storage facility, treatment at a treatment one."""
    if facility_kind not in FACILITY_KINDS[kind]:
        raise ValidationFailed(
            _("%(step)s cannot be recorded at facility %(code)s (%(facility_kind)s) (%(clause)s).")
            % {
                "step": _kind_label(kind),
                "code": facility_code,
                "facility_kind": FacilityKind(facility_kind).label,
                "clause": CLAUSE[kind],
            },
            code="facility_kind_mismatch",
            field="facility",
        )


def rule_code_in_force(waste_code: HazardousCode, edition: CatalogEdition | None) -> None:
    """国家危险废物名录 (HJ 1259-2022 6.3.1 危险废物代码): the edition in force at the time."""
    if edition is not None and waste_code.edition_id != edition.pk:
        raise ValidationFailed(
            _(
                "Waste code %(code)s is not taken from the %(edition)s, in force at that time "
                "(HJ 1259-2022 6.3.1)."
            )
            % {"code": waste_code.code, "edition": edition.title},
            code="code_not_in_force",
            field="waste_code",
        )


def rule_source_kind_allowed(kind: str, source_kind: str, source_code: str) -> None:
    """HJ 1259-2022 appendix B link columns: B.2 names its 产生批次编码, B.3 its 入库批次编码,
    B.4 and B.5 产生批次编码/出库批次编码."""
    if source_kind not in SOURCE_KINDS[kind]:
        raise ValidationFailed(
            _("%(step)s cannot take waste from %(source_step)s batch %(batch)s (%(clause)s).")
            % {
                "step": _kind_label(kind),
                "source_step": _kind_label(source_kind),
                "batch": source_code,
                "clause": CLAUSE[kind],
            },
            code="source_kind_not_allowed",
            field="source",
        )


def rule_source_matches(
    *,
    kind: str,
    organisation: Organisation,
    waste_code: HazardousCode,
    facility: Facility,
    occurred_at: datetime,
    source: LedgerEvent,
) -> None:
    """The linked batch is the same unit's, the same waste, and happened first (HJ 1259 6.3)."""
    if source.organisation_id != organisation.pk:
        raise ValidationFailed(
            _("Batch %(batch)s belongs to another unit (HJ 1259-2022 6.1.2).")
            % {"batch": source.batch_code},
            code="source_other_organisation",
            field="source",
        )
    rule_source_kind_allowed(kind, source.kind, source.batch_code)
    if source.waste_code_id != waste_code.pk:
        raise ValidationFailed(
            _("Batch %(batch)s holds waste code %(source_code)s, not %(code)s (%(clause)s).")
            % {
                "batch": source.batch_code,
                "source_code": source.waste_code.code,
                "code": waste_code.code,
                "clause": CLAUSE[kind],
            },
            code="source_other_waste_code",
            field="waste_code",
        )
    if occurred_at < source.occurred_at:
        raise ValidationFailed(
            _("The time is before batch %(batch)s took place (%(clause)s).")
            % {"batch": source.batch_code, "clause": CLAUSE[kind]},
            code="before_source",
            field="occurred_at",
        )
    if kind in SAME_FACILITY_AS_SOURCE and facility.pk != source.facility_id:
        raise ValidationFailed(
            _("Batch %(batch)s is held at another facility (%(clause)s).")
            % {"batch": source.batch_code, "clause": CLAUSE[kind]},
            code="source_other_facility",
            field="facility",
        )


def rule_source_covers(quantity_g: int, *, remaining_g: int, source_code: str, kind: str) -> None:
    """HJ 1259-2022 4.1.2, 6.3: waste leaves a batch once; a store-out cannot exceed the stock
    of its store-in batch, nor any step what its source batch still holds."""
    if quantity_g > remaining_g:
        raise ValidationFailed(
            _(
                "%(quantity)s kg exceeds the %(remaining)s kg that batch %(batch)s still holds "
                "(%(clause)s)."
            )
            % {
                "quantity": grams_as(quantity_g, "kg"),
                "remaining": grams_as(max(remaining_g, 0), "kg"),
                "batch": source_code,
                "clause": CLAUSE[kind],
            },
            code="exceeds_stock",
            field="quantity_g",
        )
