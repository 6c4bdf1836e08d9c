"""A small network for the map tests, built on `tests.transfer.network`.

In 滨江区 (330108): the producer 甲化工 generated 5 containers of 100 kg (900-249-08); one
manifest of 250 kg went to the 萧山 kiln (330109) and was treated, one of 150 kg is on the
road. In 西湖区 (330106): 西湖制药 generated 70 kg, with nothing to do with 滨江. One open
high warning in each district. Every figure the tests expect is summed by hand here.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from tests.registry import factories as f
from tests.transfer.network import KG, build_network, containers_with_stock, lifecycle, member
from wufei.alerts.models import Alert
from wufei.ledger.models import EventKind
from wufei.ledger.services import ledger_event_record


def _alert(org, facility, key: str) -> Alert:
    now = timezone.now()
    return Alert.objects.create(
        rule="receipt_overdue",
        key=key,
        severity="high",
        status="open",
        organisation=org,
        facility=facility,
        region=facility.region,
        facts={},
        evidence=[],
        raised_at=now,
        last_seen_at=now,
    )


def build_map_world() -> SimpleNamespace:
    w = build_network()
    w.treated = lifecycle(w)  # 250 kg, accepted in full
    more = containers_with_stock(w, count=2, grams_each=100 * KG)
    w.moving = lifecycle(w, until="pickup", containers=more, weight_g=150 * KG)
    w.west = f.make_org(region_code="330106", name="西湖制药", is_producer=True)
    w.west_gen = f.make_facility(w.west, code="W-GEN")
    w.wendy = member(f.make_user("wendy"), w.west)
    ledger_event_record(
        actor=w.wendy,
        organisation=w.west,
        facility=w.west_gen,
        kind=EventKind.GENERATE,
        occurred_at=timezone.localtime() - timedelta(days=2),
        waste_code=w.rags,
        quantity_g=70 * KG,
        handled_by="赵六",
    )
    w.alert = _alert(w.shipper, w.gen, f"manifest:{w.moving.pk}")
    w.alert_west = _alert(w.west, w.west_gen, "west:1")
    w.year = (timezone.localtime() - timedelta(days=2)).year
    # Hand-summed figures for 滨江区 (330108) in w.year.
    w.generated_g = 5 * 100 * KG
    w.handed_over_g = 250 * KG + 150 * KG
    w.received_109_g = 250 * KG  # at the 萧山 kiln
    return w
