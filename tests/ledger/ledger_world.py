"""A small ledger network for the ledger tests: two producers in 滨江区 (330108), one in
西湖区 (330106), a licensed incineration plant in 萧山区 (330109), their people and regulators.

`build_world()` is called by each test module's fixture (no conftest, so that the label tests
sharing this folder keep their own)."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from django.test import Client
from django.utils import timezone

from tests.registry import factories as f
from wufei.accounts.models import MembershipRole, User
from wufei.catalog.models import HazardousCode, TreatmentMethod
from wufei.catalog.selectors import current_edition
from wufei.ledger.models import EventKind, LedgerEvent
from wufei.ledger.services import ledger_event_record
from wufei.registry.models import FacilityKind
from wufei.registry.regions import region_load_shipped

TZ = ZoneInfo("Asia/Shanghai")
KG = 1000


def code(value: str) -> HazardousCode:
    return HazardousCode.objects.select_related("category", "edition").get(
        edition=current_edition(), code=value
    )


def method(value: str) -> TreatmentMethod:
    return TreatmentMethod.objects.get(code=value)


def days_ago(days: int, hour: int = 9) -> datetime:
    base = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
    return base - timedelta(days=days)


def build_world() -> SimpleNamespace:
    region_load_shipped()
    w = SimpleNamespace()
    w.oil = code("900-249-08")
    w.rags = code("900-041-49")
    w.d10 = method("D10")
    w.r2 = method("R2")
    w.prod = f.make_org(name="甲化工", is_producer=True)
    w.gen = f.make_facility(w.prod, code="A-GEN")
    w.store = f.make_facility(w.prod, kind=FacilityKind.STORAGE, code="A-STORE")
    w.kiln = f.make_facility(w.prod, kind=FacilityKind.IN_HOUSE_TREATMENT, code="A-KILN")
    w.other = f.make_org(name="乙电镀", is_producer=True)
    w.other_gen = f.make_facility(w.other, code="B-GEN")
    w.other_store = f.make_facility(w.other, kind=FacilityKind.STORAGE, code="B-STORE")
    w.west = f.make_org(region_code="330106", name="西湖制药", is_producer=True)
    w.west_gen = f.make_facility(w.west, code="W-GEN")
    w.plant = f.make_org(region_code="330109", name="萧山处置", is_treatment=True)
    w.plant_inc = f.make_facility(w.plant, kind=FacilityKind.INCINERATION, code="P-INC")
    w.permit = f.make_permit(w.plant)
    w.alice = f.make_user("alice")
    f.make_member(w.alice, w.prod)
    w.reader = f.make_user("reader")
    f.make_member(w.reader, w.prod, MembershipRole.READONLY)
    w.bob = f.make_user("bob")
    f.make_member(w.bob, w.other)
    w.wendy = f.make_user("wendy")
    f.make_member(w.wendy, w.west)
    w.reg108 = f.make_regulator("reg108", "330108")
    w.reg106 = f.make_regulator("reg106", "330106")
    w.regcity = f.make_regulator("regcity", "3301")
    w.admin = f.make_user("root", superuser=True)
    w.nobody = f.make_user("nobody")
    return w


def record(w: SimpleNamespace, kind: str, **kwargs: Any) -> LedgerEvent:
    """Record through the service as alice (or `actor`), with sensible defaults per kind."""
    defaults: dict[str, Any] = {
        "actor": w.alice,
        "organisation": w.prod,
        "facility": dict[str, Any](
            {
                EventKind.GENERATE: w.gen,
                EventKind.STORE_IN: w.store,
                EventKind.STORE_OUT: w.store,
                EventKind.TREAT_IN_HOUSE: w.kiln,
                EventKind.RECEIVE: w.store,
            }
        ).get(kind, w.store),
        "occurred_at": days_ago(10),
        "waste_code": w.oil,
        "quantity_g": 100 * KG,
        "handled_by": "张三",
    }
    if kind == EventKind.TREAT_IN_HOUSE:
        defaults["treatment_method"] = w.d10
    if kind == EventKind.HAND_OVER:
        defaults["treatment_method"] = w.d10
        defaults["receiver"] = w.plant
    defaults.update(kwargs)
    return ledger_event_record(kind=kind, **defaults)


def browser(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
