"""The map's figures equal the hand-summed ledger and manifest figures, per region."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.registry.factories import make_regulator
from tests.transfer.network import KG
from wufei.accounts.viewer import viewer_for
from wufei.core.errors import NotFound
from wufei.dashboard import drill
from wufei.dashboard.geo_build import demo_district_geojson, geojson_path
from wufei.dashboard.records import dashboard_records
from wufei.dashboard.selectors import dashboard_overview, dashboard_scope
from wufei.ledger.models import EventKind
from wufei.ledger.services import ledger_event_record
from wufei.rollups.consistency import map_difference


def overview(user, region: str, year: int):
    return dashboard_overview(
        dashboard_scope(viewer=viewer_for(user), region_code=region, year=year)
    )


def test_district_figures_equal_the_hand_sums(mw):
    o = overview(mw.reg108, "330108", mw.year)
    assert o.tonnage == {"generate": mw.generated_g, "hand_over": mw.handed_over_g, "receive": 0}
    assert o.in_transit == 1 and o.overdue == 0
    assert o.warnings == {"critical": 0, "high": 1, "medium": 0, "low": 0}
    assert [
        (f.shipper_facility_id, f.receiver_facility_id, f.grams, f.manifests) for f in o.flows
    ] == [(mw.gen.pk, mw.kiln.pk, 400 * KG, 2)]
    assert o.by_stream == [("hazardous", 400 * KG)]
    assert o.by_code == [("900-249-08", "HW08", mw.generated_g)]
    assert sum(o.monthly["generate"]) == mw.generated_g
    assert sum(o.monthly["hand_over"]) == mw.handed_over_g
    assert sum(o.tiers.values()) == 1  # 甲化工, the only producer registered in 330108
    points = {p.code: p for p in o.facilities}
    assert set(points) == {"A-GEN", "A-STORE", "P-INC"}  # the kiln: the end of a flow
    assert points["A-GEN"].grams == mw.generated_g and points["A-GEN"].inside
    assert not points["P-INC"].inside


def test_the_receiving_district_sees_what_arrived(mw):
    o = overview(mw.reg109, "330109", mw.year)
    assert o.tonnage == {"generate": 0, "hand_over": 0, "receive": mw.received_109_g}
    assert o.in_transit == 1  # on its way to the kiln
    assert o.warnings["high"] == 0


def test_another_district_is_absent_and_refused(mw):
    o = overview(mw.reg108, "330108", mw.year)
    assert "W-GEN" not in {p.code for p in o.facilities}
    assert mw.west_gen.pk not in {f.shipper_facility_id for f in o.flows}
    for code in ("110101", "330106", "3301"):
        with pytest.raises(NotFound):
            dashboard_scope(viewer=viewer_for(mw.reg108), region_code=code)
    west = overview(mw.admin, "330106", mw.year)
    assert west.tonnage["generate"] == 70 * KG and west.warnings["high"] == 1


def test_a_city_regulator_sees_its_districts_summed(mw):
    city = make_regulator("regcity", "330100")
    o = overview(city, "330100", mw.year)
    assert o.tonnage["generate"] == mw.generated_g + 70 * KG
    assert o.tonnage["receive"] == mw.received_109_g
    assert o.warnings["high"] == 2


def test_enterprise_users_have_no_map(mw):
    for user in (mw.alice, mw.rita, mw.nobody):
        with pytest.raises(NotFound):
            dashboard_scope(viewer=viewer_for(user))


def test_records_sum_to_their_figures(mw):
    scope = dashboard_scope(viewer=viewer_for(mw.reg108), region_code="330108", year=mw.year)
    generated = dashboard_records(scope=scope, metric="generate", params={})
    assert generated.total_g == mw.generated_g and generated.rows.count() == 5
    by_code = dashboard_records(scope=scope, metric="generate", params={"code": "900-041-49"})
    assert by_code.total_g == 0
    flow = dashboard_records(
        scope=scope, metric="flow", params={"from": str(mw.gen.pk), "to": str(mw.kiln.pk)}
    )
    assert flow.total_g == 400 * KG
    assert {m.number for m in flow.rows} == {mw.treated.number, mw.moving.number}
    in_transit = dashboard_records(scope=scope, metric="in_transit", params={})
    assert [m.number for m in in_transit.rows] == [mw.moving.number]


def test_drill_down_totals(mw):
    scope = dashboard_scope(viewer=viewer_for(mw.reg108), region_code="330108", year=mw.year)
    breakdown = drill.region_breakdown(scope)
    [row] = breakdown.enterprises
    assert row.obj == mw.shipper
    assert (row.totals.generate, row.totals.hand_over, row.totals.warnings) == (
        mw.generated_g,
        mw.handed_over_g,
        1,
    )
    view = drill.enterprise_view(scope=scope, organisation=mw.shipper)
    assert {m.number for m in view.manifests} == {mw.treated.number, mw.moving.number}
    assert [a.pk for a, _title in view.warnings] == [mw.alert.pk]
    assert sum(r.grams for r in view.stock) == mw.generated_g - mw.handed_over_g


def test_the_shipped_map_is_the_generated_one_and_says_it_is_illustrative():
    shipped = json.loads(geojson_path("330108").read_text(encoding="utf-8"))
    assert shipped == demo_district_geojson()
    assert shipped["properties"]["verified"] is False
    assert all(f["properties"]["verified"] is False for f in shipped["features"])
    assert {f["properties"]["code"] for f in shipped["features"]} == {
        "330108",
        "330108001",
        "330108002",
        "330108003",
    }


def test_build_geojson_writes_the_file(tmp_path):
    call_command("build_geojson", out=str(tmp_path), stdout=io.StringIO())
    written = json.loads((tmp_path / "330108.geojson").read_text(encoding="utf-8"))
    assert written == demo_district_geojson()
    assert written["properties"]["note"] == "illustrative demo boundaries"


def test_a_generation_recorded_after_a_read_shows_on_the_next_read(mw):
    """The map reads maintained cells: a write marks its partition and the next read has it,
    in the tiles, the trend, the leading codes and the producer's drill-down row."""
    before = overview(mw.reg108, "330108", mw.year)
    ledger_event_record(
        actor=mw.alice,
        organisation=mw.shipper,
        facility=mw.gen,
        kind=EventKind.GENERATE,
        occurred_at=timezone.localtime() - timedelta(days=2),
        waste_code=mw.rags,
        quantity_g=30 * KG,
        handled_by="张三",
    )
    after = overview(mw.reg108, "330108", mw.year)
    assert after.tonnage["generate"] == before.tonnage["generate"] + 30 * KG
    assert sum(after.monthly["generate"]) == sum(before.monthly["generate"]) + 30 * KG
    assert ("900-041-49", "HW49", 30 * KG) in after.by_code
    scope = dashboard_scope(viewer=viewer_for(mw.reg108), region_code="330108", year=mw.year)
    (row,) = [r for r in drill.region_breakdown(scope).enterprises if r.obj == mw.shipper]
    assert row.totals.generate == mw.generated_g + 30 * KG
    assert not map_difference(mw.year)


def test_the_map_cells_sum_every_kind_the_map_shows():
    from wufei.dashboard.selectors import THROUGHPUT_KINDS, TONNAGE_KINDS
    from wufei.rollups.marks import MAP_KINDS

    assert set(TONNAGE_KINDS) | set(THROUGHPUT_KINDS) <= set(MAP_KINDS)
