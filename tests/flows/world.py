"""The transfer network (`tests.transfer.network`) with a second producer in the same
district, and the period that covers them."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from tests.registry import factories as f
from tests.transfer.network import KG, build_network, member
from wufei.accounts.models import MembershipRole
from wufei.flows.selectors import FlowQuery
from wufei.ledger.models import EventKind
from wufei.ledger.services import ledger_event_record
from wufei.registry.models import Park


def build_flow_world() -> SimpleNamespace:
    w = build_network()
    w.park = Park.objects.create(name="江南园", kind="industrial", region=w.shipper.region)
    w.shipper.industry_code, w.shipper.industry_name, w.shipper.park = (
        "2614",
        "有机化学原料制造",
        w.park,
    )
    w.shipper.save()
    w.second = f.make_org(name="乙电镀", is_producer=True)
    w.second.industry_code, w.second.industry_name = "3360", "金属表面处理及热处理加工"
    w.second.save()
    w.second_gen = f.make_facility(w.second, code="B-GEN")
    w.bob = member(f.make_user("bob"), w.second, MembershipRole.ADMIN)
    ledger_event_record(
        actor=w.bob,
        organisation=w.second,
        facility=w.second_gen,
        kind=EventKind.GENERATE,
        occurred_at=timezone.localtime() - timedelta(days=1),
        waste_code=w.rags,
        quantity_g=40 * KG,
        handled_by="赵六",
    )
    return w


def period(**kwargs: object) -> FlowQuery:
    today = timezone.localdate()
    return FlowQuery(start=today - timedelta(days=30), end=today + timedelta(days=1), **kwargs)  # type: ignore[arg-type]


def period_params() -> dict[str, str]:
    today = timezone.localdate()
    return {"start": (today - timedelta(days=30)).isoformat(), "end": today.isoformat()}
