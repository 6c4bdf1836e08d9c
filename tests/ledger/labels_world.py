"""A small network for the label and scan tests: a producer with containers, a second producer,
a carrier and a receiver on a manifest carrying one container, regulators and outsiders.

Transfer rows are written directly here (the transfer services own their writes; these tests
only read them)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from tests.registry import factories as f
from wufei.accounts.models import MembershipRole
from wufei.catalog.models import HazardousCode, TreatmentMethod
from wufei.catalog.selectors import current_edition
from wufei.ledger.containers import container_register
from wufei.ledger.models import EventKind, LedgerEvent
from wufei.registry.models import FacilityKind
from wufei.registry.regions import region_load_shipped
from wufei.transfer.models import DocType, Manifest, ManifestCarrier, ManifestLine

TZ = ZoneInfo("Asia/Shanghai")


def hazardous_code(code: str) -> HazardousCode:
    return HazardousCode.objects.select_related("category").get(
        edition=current_edition(), code=code
    )


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def build_world() -> SimpleNamespace:
    """The network, with one registered 200 L drum of waste mineral oil (900-249-08)."""
    region_load_shipped()
    w = SimpleNamespace()
    w.today = date.today()
    w.oil = hazardous_code("900-249-08")
    w.producer = f.make_org(name="甲化工有限公司", is_producer=True, phone="0571-8600 1234")
    w.other = f.make_org(name="乙电镀有限公司", is_producer=True)
    w.carrier = f.make_org(region_code="330106", name="安运物流", is_carrier=True)
    w.plant = f.make_org(region_code="330109", name="萧山处置中心", is_treatment=True)
    w.fac = f.make_facility(w.producer, code="A-GEN")
    w.plant_in = f.make_facility(w.plant, kind=FacilityKind.INCINERATION, code="P-INC")
    w.permit = f.make_permit(w.plant)
    w.licence = f.make_permit(w.carrier)
    w.truck = f.make_vehicle(w.carrier)
    w.alice = f.make_user("alice")
    f.make_member(w.alice, w.producer)
    w.reader = f.make_user("reader")
    f.make_member(w.reader, w.producer, MembershipRole.READONLY)
    w.bob = f.make_user("bob")
    f.make_member(w.bob, w.other)
    w.kate = f.make_user("kate")
    f.make_member(w.kate, w.carrier)
    w.rita = f.make_user("rita")
    f.make_member(w.rita, w.plant)
    w.reg108 = f.make_regulator("reg108", "330108")
    w.reg109 = f.make_regulator("reg109", "330109")
    w.reg_west = f.make_regulator("regwest", "330106")
    w.admin = f.make_user("root", superuser=True)
    w.nobody = f.make_user("nobody")
    w.drum = container_register(
        actor=w.alice,
        organisation=w.producer,
        waste_code=w.oil,
        container_type="铁桶",
        volume_l=Decimal("200"),
        generated_on=w.today,
        internal_code="T-07",
    )
    return w


def build_shipment(w: SimpleNamespace) -> SimpleNamespace:
    """The drum is generated (12.5 kg), handed over on a manifest, picked up and treated."""
    day = w.today
    LedgerEvent.objects.create(
        organisation=w.producer,
        facility=w.fac,
        kind=EventKind.GENERATE,
        batch_code="HWCS20240307001",
        occurred_at=at(day, 8),
        waste_code=w.oil,
        internal_name="废机油",
        container=w.drum,
        container_code=w.drum.code,
        container_type="铁桶",
        container_count=1,
        quantity_g=12_500,
        handled_by="王师傅",
    )
    w.manifest = Manifest.objects.create(
        number="20243301000042",
        doc_type=DocType.HAZARDOUS,
        status="treated",
        shipper=w.producer,
        shipper_facility=w.fac,
        receiver=w.plant,
        receiver_facility=w.plant_in,
        receiver_permit=w.permit,
        planned_on=day,
        created_by=w.alice,
        shipper_signed_at=at(day, 10),
        picked_up_at=at(day, 11),
        arrived_at=at(day, 14),
        received_at=at(day, 15),
        treated_at=at(day, 16),
    )
    w.line = ManifestLine.objects.create(
        manifest=w.manifest,
        position=1,
        waste_code=w.oil,
        waste_name="废机油",
        hazard_characteristics="T,I",
        physical_form="液态",
        packaging="铁桶",
        container_count=1,
        weight_g=12_500,
        received_weight_g=12_480,
        accepted_weight_g=12_480,
        treatment_method=TreatmentMethod.objects.filter(code__startswith="D").first(),
        treated_weight_g=12_480,
    )
    w.line.containers.add(w.drum)
    ManifestCarrier.objects.create(
        manifest=w.manifest,
        position=1,
        carrier=w.carrier,
        vehicle=w.truck,
        licence=w.licence,
        picked_up_at=at(day, 11),
        delivered_at=at(day, 14),
    )
    return w
