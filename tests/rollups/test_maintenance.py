"""The maintained aggregates answer exactly what the raw rows answer, after every kind of write
to the spine: ledger events through the service, a ledger import, each manifest step, a
revision; stale partitions are marked in the writing transaction and rebuilt before a read."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F
from django.utils import timezone

from tests.flows.world import build_flow_world
from tests.ledger import import_files as files
from tests.ledger import ledger_world as lw
from tests.transfer.network import KG, as_, lifecycle
from wufei.accounts.viewer import Viewer
from wufei.domain.material_flows import sankey
from wufei.flows.records import flow_records_raw
from wufei.flows.selectors import FlowQuery, flow_records
from wufei.indicators.spine_inputs import spine_inputs_for, spine_inputs_raw
from wufei.ledger.importing import ledger_import_file
from wufei.ledger.models import EventKind, ImportBatch
from wufei.ledger.services import ledger_event_record
from wufei.registry.models import Organisation, Region
from wufei.rollups import refresh as refresh_module
from wufei.rollups.consistency import flow_difference, spine_difference
from wufei.rollups.marks import year_of
from wufei.rollups.models import FlowCell, FlowCellKind, LedgerCell, RollupMark, SpineCell
from wufei.rollups.refresh import rollups_refresh
from wufei.transfer import services as s

pytestmark = pytest.mark.django_db
ADMIN = Viewer(user_id=0, is_admin=True)


def _span() -> tuple[date, date]:
    """Whole years: last year, this year and next."""
    today = timezone.localdate()
    return date(today.year - 1, 1, 1), date(today.year + 2, 1, 1)


def assert_cells_equal_raw() -> None:
    start, end = _span()
    everyone = Organisation.objects.all()
    for stream in ("hazardous", "medical", "general_industrial"):
        for year in range(start.year, end.year):
            assert not flow_difference(everyone, stream=stream, year=year), (stream, year)
    regions = Region.objects.filter(code__in=everyone.values("region_id"))
    for region in regions:
        for year in range(start.year, end.year):
            assert spine_difference(region, year) == {}, (region.code, year)


def generate(w: SimpleNamespace, when: datetime, grams: int) -> None:
    """The second producer records rags generated at `when` (B.1), through the service."""
    ledger_event_record(
        actor=w.bob,
        organisation=w.second,
        facility=w.second_gen,
        kind=EventKind.GENERATE,
        occurred_at=when,
        waste_code=w.rags,
        quantity_g=grams,
        handled_by="赵六",
    )


def test_a_world_written_through_the_services_is_answered_alike() -> None:
    w = build_flow_world()
    lifecycle(w)  # treated
    lifecycle(w, until="pickup", containers=[], weight_g=10 * KG)  # in transit
    assert_cells_equal_raw()
    assert not RollupMark.objects.exists()  # the reads above refreshed every partition
    shipped = FlowCell.objects.filter(kind=FlowCellKind.SHIPPED)
    # one code, carrier and receiver; the treated line has a method, the other not yet
    assert sorted(shipped.values_list("method", "grams", "in_transit_g", "treated_g")) == [
        ("", 10 * KG, 10 * KG, 0),
        ("D10", 250 * KG, 0, 250 * KG),
    ]
    today = timezone.localdate()
    year = spine_inputs_for(region=w.shipper.region, year=today.year)
    assert year == spine_inputs_raw(region=w.shipper.region, year=today.year)
    assert year["hw_transferred_t"] == Decimal("0.26")  # 250 kg + 10 kg


def test_each_write_marks_its_partition_in_the_same_transaction() -> None:
    w = build_flow_world()
    rollups_refresh()
    assert not RollupMark.objects.exists()
    earlier = timezone.localtime() - timedelta(days=400)
    generate(w, earlier, 7 * KG)
    assert set(RollupMark.objects.values_list("organisation_id", "year")) == {
        (w.second.pk, year_of(earlier))
    }
    manifest = lifecycle(w, until="pickup")
    assert manifest.picked_up_at is not None
    assert (w.shipper.pk, year_of(manifest.picked_up_at)) in set(
        RollupMark.objects.values_list("organisation_id", "year")
    )
    assert_cells_equal_raw()


def test_the_flow_page_of_the_year_sees_a_new_event_at_once() -> None:
    w = build_flow_world()
    when = timezone.localtime() - timedelta(seconds=1)
    query = FlowQuery.for_year(when.year)
    before = sankey(flow_records(viewer=ADMIN, query=query)).generated_g
    assert not RollupMark.objects.exists()  # the read refreshed: the year comes from cells
    generate(w, when, 3 * KG)
    assert RollupMark.objects.exists()
    after = sankey(flow_records(viewer=ADMIN, query=query)).generated_g
    assert after - before == 3 * KG


def test_a_revision_changes_the_cells() -> None:
    w = build_flow_world()
    manifest = lifecycle(w, until="deliver")
    assert_cells_equal_raw()
    revision = s.manifest_revision_request(
        **as_(w.alice),
        manifest=manifest,
        changes={"lines": {"1": {"weight_g": 240 * KG}}},
        reason="称重有误",
    )
    s.manifest_revision_decide(**as_(w.kate), revision=revision, approve=True)
    start, end = _span()
    assert_cells_equal_raw()
    cell = FlowCell.objects.get(kind=FlowCellKind.SHIPPED, organisation=w.shipper)
    assert (cell.grams, cell.in_transit_g) == (240 * KG, 240 * KG)
    assert start.year <= cell.year < end.year


def test_a_ledger_import_is_counted(tmp_path) -> None:
    w = lw.build_world()
    when = timezone.localtime(lw.days_ago(3)).strftime("%Y-%m-%d %H:%M")
    path = files.write_csv(
        tmp_path / "b1.csv",
        "B.1",
        [files.b1(n, f"HWCS2024010{n}001", when, qty=f"{n}.5") for n in range(1, 4)],
    )
    batch = ledger_import_file(actor=w.alice, organisation=w.prod, path=path, table="B.1")
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.errors
    assert RollupMark.objects.filter(organisation_id=w.prod.pk).exists()
    assert_cells_equal_raw()
    generated = FlowCell.objects.filter(organisation=w.prod, kind=FlowCellKind.GENERATED)
    assert sum(c.grams for c in generated) >= 1_500 + 2_500 + 3_500


def test_a_mark_committed_while_a_refresh_runs_survives_it(monkeypatch) -> None:
    w = build_flow_world()
    rebuild = refresh_module.cells_rebuild
    late = 2020

    def rebuild_while_someone_writes(*args, **kwargs):
        RollupMark.objects.create(organisation_id=w.second.pk, year=late)
        return rebuild(*args, **kwargs)

    monkeypatch.setattr(refresh_module, "cells_rebuild", rebuild_while_someone_writes)
    rollups_refresh()
    assert list(RollupMark.objects.values_list("organisation_id", "year")) == [(w.second.pk, late)]


def test_a_period_of_part_years_is_read_raw() -> None:
    build_flow_world()
    rollups_refresh()
    FlowCell.objects.all().delete()  # cells gone: only the raw reading can still answer
    today = timezone.localdate()
    whole = FlowQuery(start=date(today.year, 1, 1), end=date(today.year + 1, 1, 1))
    part = FlowQuery(start=today - timedelta(days=3), end=today + timedelta(days=1))
    assert sankey(flow_records(viewer=ADMIN, query=whole)).generated_g == 0
    raw = flow_records_raw(
        Organisation.objects.all(), stream="hazardous", start=part.start, end=part.end
    )
    assert sankey(flow_records(viewer=ADMIN, query=part)).generated_g == sankey(raw).generated_g
    assert sankey(raw).generated_g >= 40 * KG  # the second producer's rags, at least


def test_the_check_command_proves_the_cells_and_fails_when_one_is_wrong() -> None:
    w = build_flow_world()
    lifecycle(w)
    out = StringIO()
    call_command("refresh_rollups", "--all", "--check", stdout=out)
    assert "cells equal the raw rows" in out.getvalue()
    assert SpineCell.objects.exists()
    FlowCell.objects.filter(pk=FlowCell.objects.order_by("pk").values("pk")[:1]).update(
        grams=F("grams") + 1
    )
    with pytest.raises(CommandError, match="differences"):
        call_command("refresh_rollups", "--check", stdout=StringIO(), stderr=StringIO())
    call_command("refresh_rollups", "--all", stdout=StringIO())
    LedgerCell.objects.filter(pk=LedgerCell.objects.order_by("pk").values("pk")[:1]).update(
        events=F("events") + 1
    )
    err = StringIO()
    with pytest.raises(CommandError, match="differences"):
        call_command("refresh_rollups", "--check", stdout=StringIO(), stderr=err)
    assert " map " in err.getvalue()


def test_only_the_summed_kinds_of_ledger_event_mark_their_year() -> None:
    from wufei.rollups.cells import LEDGER_KINDS
    from wufei.rollups.marks import MAP_KINDS, SUMMED_KINDS, rollups_touch_event

    # what the flow and the map cells sum is what marks; store-in and store-out do not
    assert set(LEDGER_KINDS) | set(MAP_KINDS) == set(SUMMED_KINDS)
    assert not {EventKind.STORE_IN, EventKind.STORE_OUT} & set(SUMMED_KINDS)
    now = timezone.localtime()
    for kind in EventKind.values:
        rollups_touch_event(organisation_id=1, kind=kind, occurred_at=now)
    assert RollupMark.objects.count() == len(SUMMED_KINDS)


def test_rebuilding_everything_leaves_no_cell_of_a_partition_without_rows() -> None:
    """`refresh_rollups --all` starts from nothing: a map cell left by rows that are gone
    (restored from a backup, deleted by hand) does not survive it."""
    w = build_flow_world()
    call_command("refresh_rollups", "--all", stdout=StringIO())
    stray = Organisation.objects.create(
        uscc="91330108MA2STRAY1X", name="已注销", region_id="330108"
    )
    LedgerCell.objects.create(
        organisation=stray,
        facility=w.second_gen,
        year=2020,
        month=0,
        kind=EventKind.GENERATE,
        waste_code="900-249-08",
        category="HW08",
        grams=1,
        events=1,
    )
    call_command("refresh_rollups", "--all", stdout=StringIO())
    assert not LedgerCell.objects.filter(organisation=stray).exists()
    assert LedgerCell.objects.exists()
