"""A small transfer network for the manifest tests.

A producer in 滨江区 (330108) with labelled containers of waste mineral oil in its ledger; two
carriers (and a third that is not on the manifests); a licensed incineration plant in 萧山区
(330109); a plant in 南京 (Jiangsu, another province); their people in every role; regulators.
`build_network()` is plain so that transactional race tests can call it after reloading the
catalogs.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from tests.registry import factories as f
from wufei.accounts.models import MembershipRole, User
from wufei.accounts.viewer import viewer_for
from wufei.catalog.models import HazardousCategory, HazardousCode, TreatmentMethod
from wufei.catalog.selectors import current_edition
from wufei.ledger.containers import container_register_batch
from wufei.ledger.models import Container, EventKind
from wufei.ledger.services import ledger_event_record
from wufei.registry.models import FacilityKind, PermitKind
from wufei.registry.regions import region_load_shipped
from wufei.transfer import services as s
from wufei.transfer.models import Manifest

KG = 1000


def code(value: str) -> HazardousCode:
    return HazardousCode.objects.select_related("category", "edition").get(
        edition=current_edition(), code=value
    )


def method(value: str) -> TreatmentMethod:
    return TreatmentMethod.objects.get(code=value)


def member(user: User, org: Any, role: str = MembershipRole.MEMBER) -> User:
    f.make_member(user, org, role)
    return user


def containers_with_stock(
    w: SimpleNamespace, *, count: int, grams_each: int, waste: HazardousCode | None = None
) -> list[Container]:
    """Register containers of the shipper and record their generation in its ledger."""
    waste = waste or w.oil
    generated = timezone.localdate() - timedelta(days=3)
    containers = container_register_batch(
        actor=w.alice,
        organisation=w.shipper,
        waste_code=waste,
        container_type="铁桶",
        volume_l=Decimal("200"),
        generated_on=generated,
        count=count,
    )
    for container in containers:
        ledger_event_record(
            actor=w.alice,
            organisation=w.shipper,
            facility=w.gen,
            kind=EventKind.GENERATE,
            occurred_at=timezone.localtime() - timedelta(days=2),
            waste_code=waste,
            quantity_g=grams_each,
            handled_by="王五",
            container=container,
        )
    return containers


def build_network() -> SimpleNamespace:
    region_load_shipped()
    w = SimpleNamespace()
    w.oil = code("900-249-08")
    w.rags = code("900-041-49")
    w.ash = code("772-002-18")
    w.d10 = method("D10")
    w.r9 = method("R9")
    w.d1 = method("D1")
    w.shipper = f.make_org(name="甲化工", is_producer=True)
    w.gen = f.make_facility(w.shipper, code="A-GEN")
    w.store = f.make_facility(w.shipper, kind=FacilityKind.STORAGE, code="A-STORE")
    w.carrier = f.make_org(region_code="330106", name="安运物流", is_carrier=True)
    w.truck = f.make_vehicle(w.carrier)
    w.licence = f.make_permit(w.carrier, kind=PermitKind.ROAD_HAZMAT)
    w.carrier2 = f.make_org(region_code="330106", name="联运物流", is_carrier=True)
    w.truck2 = f.make_vehicle(w.carrier2)
    w.licence2 = f.make_permit(w.carrier2, kind=PermitKind.ROAD_HAZMAT)
    w.stranger_carrier = f.make_org(region_code="330106", name="他运物流", is_carrier=True)
    w.plant = f.make_org(region_code="330109", name="萧山处置", is_treatment=True)
    w.kiln = f.make_facility(w.plant, kind=FacilityKind.INCINERATION, code="P-INC")
    w.permit = f.make_permit(w.plant)
    w.permit.facility = w.kiln
    w.permit.save()
    w.permit.categories.add(HazardousCategory.objects.get(edition=current_edition(), code="HW08"))
    w.permit.codes.add(w.rags)
    w.permit.treatment_methods.add(w.d10, w.r9)
    w.far_plant = f.make_org(region_code="320102", name="南京处置", is_treatment=True)
    w.far_kiln = f.make_facility(w.far_plant, kind=FacilityKind.INCINERATION, code="N-INC")
    w.far_permit = f.make_permit(w.far_plant)
    w.far_permit.categories.add(w.oil.category)
    w.far_permit.treatment_methods.add(w.d10)
    # people
    w.alice = member(f.make_user("alice"), w.shipper, MembershipRole.ADMIN)
    w.sam = member(f.make_user("sam"), w.shipper)
    w.reader = member(f.make_user("reader"), w.shipper, MembershipRole.READONLY)
    w.kate = member(f.make_user("kate"), w.carrier)
    w.dave = member(f.make_user("dave"), w.carrier, MembershipRole.DRIVER)
    w.dan = member(f.make_user("dan"), w.carrier, MembershipRole.DRIVER)
    w.carl = member(f.make_user("carl"), w.carrier2)
    w.olga = member(f.make_user("olga"), w.stranger_carrier, MembershipRole.DRIVER)
    w.rita = member(f.make_user("rita"), w.plant)
    w.rudi = member(f.make_user("rudi"), w.plant)
    w.nina = member(f.make_user("nina"), w.far_plant)
    w.nobody = f.make_user("nobody")
    w.reg108 = f.make_regulator("reg108", "330108")
    w.reg109 = f.make_regulator("reg109", "330109")
    w.reg106 = f.make_regulator("reg106", "330106")
    w.reg_js = f.make_regulator("regjs", "32")
    w.reg_zj = f.make_regulator("regzj", "33")
    w.admin = f.make_user("root", superuser=True)
    w.containers = containers_with_stock(w, count=3, grams_each=100 * KG)
    return w


def draft(
    w: SimpleNamespace,
    *,
    containers: list[Container] | None = None,
    weight_g: int = 250 * KG,
    carriers: int = 1,
    receiver_facility: Any = None,
    planned_on: date | None = None,
    container_count: int | None = None,
) -> s.DraftInput:
    chosen = w.containers if containers is None else containers
    legs = [s.CarrierInput(w.carrier, w.truck, w.licence, "滨江", "萧山")]
    if carriers == 2:
        legs.append(s.CarrierInput(w.carrier2, w.truck2, w.licence2, "中转站", "萧山"))
    return s.DraftInput(
        shipper_facility=w.gen,
        receiver_facility=receiver_facility or w.kiln,
        planned_on=planned_on or timezone.localdate(),
        lines=[
            s.LineInput(
                waste_code=w.oil,
                waste_name="废矿物油",
                physical_form="液态",
                packaging="铁桶",
                weight_g=weight_g,
                containers=chosen,
                container_count=container_count,
            )
        ],
        carriers=legs,
        emergency_measures="泄漏时用吸附棉围堵，通知 0571-12345678",
    )


def as_(user: User) -> dict[str, Any]:
    return {"viewer": viewer_for(user), "actor": user}


def create(w: SimpleNamespace, **kwargs: Any) -> Manifest:
    return s.manifest_create(**as_(w.alice), draft=draft(w, **kwargs))


def lifecycle(
    w: SimpleNamespace, *, until: str = "treated", carriers: int = 1, **kwargs: Any
) -> Manifest:
    """Take a manifest along the lawful path up to `until` (a step name)."""
    m = create(w, carriers=carriers, **kwargs)
    steps = [
        ("sign_shipper", lambda m: s.manifest_sign_shipper(**as_(w.alice), manifest=m)),
        ("pickup", lambda m: s.manifest_sign_pickup(**as_(w.dave), manifest=m)),
    ]
    if carriers == 2:
        steps.append(("pickup2", lambda m: s.manifest_sign_pickup(**as_(w.carl), manifest=m)))
    last = w.carl if carriers == 2 else w.dave
    steps += [
        ("deliver", lambda m: s.manifest_sign_delivery(**as_(last), manifest=m)),
        (
            "receive",
            lambda m: s.manifest_receive(
                **as_(w.rita),
                manifest=m,
                decision="accept",
                lines=[s.ReceiptLine(position=1, received_weight_g=m.lines.get().weight_g)],
            ),
        ),
        (
            "treated",
            lambda m: s.manifest_record_treatment(
                **as_(w.rita),
                manifest=m,
                lines=[
                    s.TreatmentLine(
                        position=1,
                        treatment_method=w.d10,
                        treated_weight_g=m.lines.get().accepted_weight_g,
                    )
                ],
            ),
        ),
    ]
    for name, run in steps:
        m = run(m)
        if name == until:
            break
    return Manifest.objects.get(pk=m.pk)


def aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))
