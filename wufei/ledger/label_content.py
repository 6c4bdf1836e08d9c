"""What a hazardous waste label says (HJ 1276-2022 危险废物标签), gathered from the records.

The label is a regulatory form whose wording the standard fixes in Chinese, so its field names
are Chinese constants here, not translated UI strings. What the records know is filled in:
the waste code and its category and hazard characteristics (国家危险废物名录), the unit and
its phone (registry), the generation date (the container), and — once the container's
generation event is recorded in the ledger — the waste's own name, the weight and the person
responsible. What only the producer knows (physical form, components, precautions, remarks) is
given as `LabelDetails` when printing, or left blank to be written on by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from wufei.domain.hw_identification import LabelSize, label_size_for_volume
from wufei.ledger.models import Container, EventKind, LedgerEvent

TITLE = "危险废物"
# HJ 1276-2022 危险特性 and their codes in the 国家危险废物名录.
HAZARD_NAMES = {"T": "毒性", "C": "腐蚀性", "I": "易燃性", "R": "反应性", "In": "感染性"}
# The physical forms HJ 1259-2022 and the transfer manifest use.
PHYSICAL_FORMS = ("固态", "半固态", "液态", "气态")


@dataclass(frozen=True)
class LabelDetails:
    """What the producer adds when printing; empty fields stay blank lines on the label."""

    waste_name: str = ""
    physical_form: str = ""
    main_components: str = ""
    harmful_components: str = ""
    precautions: str = ""
    contact_person: str = ""
    contact_phone: str = ""
    remarks: str = ""


@dataclass(frozen=True)
class LabelContent:
    code: str
    url: str  # what the QR code encodes
    size: LabelSize
    characteristics: tuple[str, ...]  # T, C, I, R, In
    fields: tuple[tuple[str, str], ...]  # (name, value) in the order of the label

    def value(self, name: str) -> str:
        return dict(self.fields)[name]


def scan_url(base_url: str, code: str) -> str:
    """The public scan page of a container: what its QR code holds."""
    return f"{base_url.rstrip('/')}/c/{code}/"


def grams_as_kg(grams: int) -> str:
    """12500 → "12.500 kg": exact to the gram, never a float."""
    return f"{Decimal(grams) / 1000:.3f} kg"


def _generation(container: Container) -> tuple[str, str, int]:
    """The waste name, person responsible and generated grams from the ledger, if recorded."""
    events = LedgerEvent.objects.filter(container=container, kind=EventKind.GENERATE)
    first = events.order_by("occurred_at", "id").first()
    grams = events.aggregate(total=Sum("quantity_g"))["total"] or 0
    if first is None:
        return "", "", 0
    return first.internal_name, first.handled_by, int(grams)


def label_content(
    container: Container, *, base_url: str, details: LabelDetails | None = None
) -> LabelContent:
    details = details or LabelDetails()
    code = container.waste_code
    organisation = container.organisation
    name, person, grams = _generation(container)
    characteristics = tuple(c for c in code.characteristics if c in HAZARD_NAMES)
    contact = " ".join(
        part
        for part in (
            details.contact_person or person,
            details.contact_phone or organisation.contact_phone,
        )
        if part
    )
    fields = (
        ("废物名称", details.waste_name or name or code.description),
        ("废物类别", f"{code.category.code} {code.category.name}"),
        ("废物代码", code.code),
        ("废物形态", details.physical_form),
        ("危险特性", "、".join(HAZARD_NAMES[c] for c in characteristics)),
        ("主要成分", details.main_components),
        ("有害成分", details.harmful_components),
        ("注意事项", details.precautions),
        ("产生/收集单位", organisation.name),
        ("联系人和联系方式", contact),
        ("产生日期", _day(container.generated_on)),
        ("废物重量", grams_as_kg(grams) if grams else ""),
        ("备注", details.remarks),
    )
    return LabelContent(
        code=container.code,
        url=scan_url(base_url, container.code),
        size=label_size_for_volume(container.volume_l),
        characteristics=characteristics,
        fields=fields,
    )


def _day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
