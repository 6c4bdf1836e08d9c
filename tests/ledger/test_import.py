"""Importing appendix-B files: valid files land whole; a bad file lands not at all, with a
report that names each bad row, its column and the rule."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from tests.ledger import import_files as files
from tests.ledger import ledger_world as lw
from tests.registry import factories as f
from tests.registry.factories import api_client
from wufei.accounts.viewer import viewer_for
from wufei.core.audit_models import AuditEvent
from wufei.ledger.exporting import xlsx_write
from wufei.ledger.importing import ERROR_CAP, ledger_import_file
from wufei.ledger.models import EventKind, ImportBatch, ImportRow, LedgerEvent
from wufei.ledger.selectors import ledger_events_visible, mass_balance
from wufei.ledger.tables import TABLE_ORDER, TABLES

KG = lw.KG


@pytest.fixture
def w(db):
    return lw.build_world()


def when(days: int, hour: int = 9) -> str:
    return timezone.localtime(lw.days_ago(days, hour)).strftime("%Y-%m-%d %H:%M")


def run(w, path, table, user=None, org=None) -> ImportBatch:
    return ledger_import_file(
        actor=user or w.alice, organisation=org or w.prod, path=path, table=table
    )


def test_a_valid_csv_lands_whole_and_is_audited_once(w, tmp_path) -> None:
    path = files.write_csv(
        tmp_path / "b1.csv",
        "B.1",
        [files.b1(n, f"HWCS2024010{n}001", when(5), qty=f"{n}.5") for n in range(1, 6)],
    )
    batch = run(w, path, "B.1")
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.errors
    assert (batch.rows_done, batch.error_count) == (5, 0)
    assert batch.totals == {"generate": {"rows": 5, "grams": 1_500 + 2_500 + 3_500 + 4_500 + 5_500}}
    events = LedgerEvent.objects.filter(import_batch=batch).order_by("id")
    assert [e.batch_code for e in events] == [f"HWCS2024010{n}001" for n in range(1, 6)]
    first = events[0]
    assert (first.facility, first.waste_code, first.quantity_g, first.recorded_by) == (
        w.gen,
        w.oil,
        1_500,
        w.alice,
    )
    assert timezone.localtime(first.occurred_at).strftime("%Y-%m-%d %H:%M") == when(5)
    audit = AuditEvent.objects.get(subject_type="ledger_import", subject_id=str(batch.pk))
    assert audit.payload["sha256"] == batch.sha256 and audit.payload["rows"] == 5
    assert not ImportRow.objects.exists()  # staging is cleared


def test_a_second_file_links_to_batches_already_in_the_ledger(w, tmp_path) -> None:
    gen = lw.record(w, EventKind.GENERATE, quantity_g=50 * KG, occurred_at=lw.days_ago(6))
    path = files.write_csv(
        tmp_path / "b2.csv", "B.2", [files.b2(1, "HWRK20240101001", when(5), gen.batch_code, "50")]
    )
    batch = run(w, path, "B.2")
    assert batch.status == "succeeded", batch.errors
    stored = LedgerEvent.objects.get(import_batch=batch)
    assert (stored.kind, stored.source, stored.facility, stored.second_handler) == (
        EventKind.STORE_IN,
        gen,
        w.store,
        "王五",
    )


def test_a_workbook_of_all_tables_links_within_itself(w, tmp_path) -> None:
    path = files.write_xlsx(
        tmp_path / "all.xlsx",
        {
            "B.1": [files.b1(1, "G1", lw.days_ago(9).replace(tzinfo=None), qty=100)],
            "B.2": [files.b2(1, "S1", when(8), "G1", qty="0.1", unit="t")],
            "B.3": [files.b3(1, "O1", when(7), "S1", qty=60), files.b3(2, "O2", when(7), "S1", 40)],
            "B.4": [files.b4(1, "T1", when(6), "O1", qty=60)],
            "B.5": [files.b5(1, "H1", when(6), "O2", qty=40, permit=w.permit.number)],
        },
    )
    batch = run(w, path, None)
    assert batch.status == "succeeded", batch.errors
    events = {e.batch_code: e for e in LedgerEvent.objects.filter(import_batch=batch)}
    assert events["S1"].source == events["G1"] and events["S1"].quantity_g == 100 * KG
    assert events["O1"].source == events["S1"] and events["T1"].source == events["O1"]
    assert events["H1"].source == events["O2"]
    assert events["H1"].facility == w.store  # B.5 leaves from where its batch is
    assert events["H1"].receiver == w.plant and events["T1"].treatment_method == w.d10
    balance = mass_balance(
        viewer=viewer_for(w.alice), organisation=w.prod, start=lw.days_ago(30), end=timezone.now()
    )
    (unit,) = balance.totals
    assert balance.closes and (unit.generated, unit.treated, unit.handed_over, unit.closing) == (
        100 * KG,
        60 * KG,
        40 * KG,
        0,
    )


def test_a_bad_file_changes_nothing_and_reports_each_row(w, tmp_path) -> None:
    gen = lw.record(w, EventKind.GENERATE, quantity_g=100 * KG, occurred_at=lw.days_ago(9))
    stored = lw.record(w, EventKind.STORE_IN, source=gen, occurred_at=lw.days_ago(8))
    before = LedgerEvent.objects.count()
    s = stored.batch_code
    path = files.write_csv(
        tmp_path / "b3.csv",
        "B.3",
        [
            files.b3(1, "O1", when(7), s, qty="60"),  # row 2: fine
            files.b3(2, "O2", when(6), s, qty="50"),  # row 3: 60 + 50 > 100 kg held
            files.b3(3, "O3", when(6), "HWRK19990101999"),  # row 4: broken link
            files.b3(4, "O4", when(6), s, waste="900-999-99"),  # row 5: unknown code
            files.b3(5, "O5", when(6), s, qty="-3"),  # row 6: negative
            files.b3(6, "O6", when(6), s, qty="20000", unit="t"),  # row 7: absurd
            files.b3(7, "O7", "2099-01-01 08:00", s),  # row 8: future
            files.b3(8, "O1", when(6), s, qty="1"),  # row 9: batch code repeated
            files.b3(9, "O9", when(6), gen.batch_code, qty="1"),  # row 10: B.3 takes from B.2
        ],
    )
    batch = run(w, path, "B.3")
    assert batch.status == ImportBatch.Status.REJECTED
    assert LedgerEvent.objects.count() == before
    found = {(e["row"], e["code"]): e for e in batch.errors}
    assert set(found) == {
        (3, "exceeds_stock"),
        (4, "source_unknown"),
        (5, "code_unknown"),
        (6, "quantity_not_positive"),
        (7, "quantity_implausible"),
        (8, "time_in_future"),
        (9, "batch_code_repeated"),
        (9, "exceeds_stock"),  # a repeated row still takes from the batch
        (10, "source_kind_not_allowed"),
    }
    assert batch.error_count == 9
    assert found[(3, "exceeds_stock")]["column"] == "出库量"
    assert "40" in found[(3, "exceeds_stock")]["reason"]  # 40 kg left at that row
    assert found[(4, "source_unknown")]["column"] == "入库批次编码"
    assert found[(5, "code_unknown")]["value"] == "900-999-99"
    assert found[(7, "quantity_implausible")]["column"] == "出库量"
    assert found[(8, "time_in_future")]["column"] == "出库时间"
    assert not ImportRow.objects.exists()
    assert not AuditEvent.objects.filter(subject_type="ledger_import").exists()


def test_wrong_headers_reject_the_file_at_row_one(w, tmp_path) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("序号,批次,时间\n1,a,b\n", encoding="utf-8")
    batch = run(w, path, "B.1")
    assert batch.status == "rejected"
    (error,) = batch.errors
    assert (error["row"], error["column"], error["value"]) == (1, "产生批次编码", "批次")


def test_the_report_keeps_the_first_errors_and_counts_them_all(w, tmp_path) -> None:
    rows = [files.b1(n, f"X{n}", when(1), qty="-1") for n in range(ERROR_CAP + 500)]
    batch = run(w, files.write_csv(tmp_path / "many.csv", "B.1", rows), "B.1")
    assert batch.status == "rejected"
    assert batch.error_count == ERROR_CAP + 500
    assert len(batch.errors) == ERROR_CAP


def test_excel_saved_csv_in_gb18030_is_read(w, tmp_path) -> None:
    path = files.write_csv(
        tmp_path / "gbk.csv", "B.1", [files.b1(1, "G1", when(1))], encoding="gb18030"
    )
    batch = run(w, path, "B.1")
    assert batch.status == "succeeded", batch.errors
    assert LedgerEvent.objects.get(import_batch=batch).internal_name == "废机油"


def test_what_we_export_imports_unchanged(w, tmp_path) -> None:
    gen = lw.record(
        w,
        EventKind.GENERATE,
        quantity_g=123_457,
        occurred_at=lw.days_ago(9),
        internal_name="废机油",
        unit="kg",
    )
    stored = lw.record(
        w,
        EventKind.STORE_IN,
        source=gen,
        quantity_g=123_457,
        occurred_at=lw.days_ago(8),
        unit="t",
        second_handler="王五",
    )
    out = lw.record(
        w, EventKind.STORE_OUT, source=stored, quantity_g=100_000, occurred_at=lw.days_ago(7)
    )
    lw.record(
        w,
        EventKind.TREAT_IN_HOUSE,
        source=out,
        quantity_g=40_000,
        occurred_at=lw.days_ago(6),
        finished_at=lw.days_ago(5),
    )
    lw.record(w, EventKind.HAND_OVER, source=out, quantity_g=60_000, occurred_at=lw.days_ago(6))
    path = tmp_path / "export.xlsx"
    with path.open("wb") as fh:
        xlsx_write(
            [TABLES[t] for t in TABLE_ORDER], LedgerEvent.objects.filter(organisation=w.prod), fh
        )

    twin = f.make_org(name="丙化工", is_producer=True)
    for facility in (w.gen, w.store, w.kiln):
        f.make_facility(twin, kind=facility.kind, code=facility.code)
    f.make_member(w.alice, twin)
    batch = run(w, path, None, org=twin)
    assert batch.status == "succeeded", batch.errors

    def shape(org):
        return sorted(
            (
                e.kind,
                e.batch_code,
                e.quantity_g,
                e.unit,
                e.facility.code,
                e.waste_code.code,
                e.source.batch_code if e.source else "",
                e.handled_by if e.kind != EventKind.HAND_OVER else "",  # not a B.5 column
                e.second_handler,
                e.treatment_method.code if e.treatment_method else "",
                e.receiver_id,
                e.receiver_permit_number,
                e.occurred_at,
                e.finished_at,
                e.internal_name,
            )
            for e in LedgerEvent.objects.filter(organisation=org)
        )

    assert shape(twin) == shape(w.prod)


def test_upload_page_runs_the_import_and_shows_the_report(
    w, tmp_path, django_capture_on_commit_callbacks
) -> None:
    client = lw.browser(w.alice)
    good = files.write_csv(tmp_path / "good.csv", "B.1", [files.b1(1, "G1", when(1))])
    with good.open("rb") as fh, django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/ledger/{w.prod.uscc}/import/", {"file": fh, "table": "B.1"})
    assert response.status_code == 302
    status = client.get(response["Location"])
    assert b'data-testid="import-summary"' in status.content
    assert LedgerEvent.objects.filter(batch_code="G1").exists()
    assert b"every 1s" not in status.content  # finished: no more polling

    bad = files.write_csv(tmp_path / "bad.csv", "B.1", [files.b1(1, "G2", when(1), qty="x")])
    with bad.open("rb") as fh, django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/ledger/{w.prod.uscc}/import/", {"file": fh, "table": "B.1"})
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="import-errors"' in fragment and "产生量" in fragment


def test_a_running_import_is_polled_every_second(w) -> None:
    batch = ImportBatch.objects.create(
        organisation=w.prod,
        uploaded_by=w.alice,
        filename="big.csv",
        table="B.1",
        rows_total=1000,
        rows_done=250,
    )
    page = lw.browser(w.alice).get(f"/ledger/{w.prod.uscc}/import/{batch.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and 'value="250"' in page


def test_import_through_the_api(w, django_capture_on_commit_callbacks) -> None:
    upload = io.BytesIO(
        (
            ",".join(TABLES["B.1"].headers) + "\n" + ",".join(map(str, files.b1(1, "G1", when(1))))
        ).encode("utf-8")
    )
    upload.name = "b1.csv"
    client = api_client(w.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/ledger/organisations/{w.prod.uscc}/imports", {"file": upload, "table": "B.1"}
        )
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "running"  # answered before the import ran
    status = client.get(f"/api/v1/ledger/imports/{response.json()['id']}").json()
    assert status["status"] == "succeeded" and status["rows_done"] == 1
    assert ledger_events_visible(viewer=viewer_for(w.alice)).filter(batch_code="G1").exists()


def test_a_csv_needs_its_table_and_a_member(w, tmp_path) -> None:
    from wufei.core.errors import NotPermitted, ValidationFailed

    path = files.write_csv(tmp_path / "b1.csv", "B.1", [])
    with pytest.raises(ValidationFailed):
        run(w, path, None)
    with pytest.raises(NotPermitted):
        run(w, path, "B.1", user=w.reader)


def test_the_command_imports_or_prints_the_report(w, tmp_path) -> None:
    from django.core.management import CommandError, call_command

    good = files.write_csv(tmp_path / "good.csv", "B.1", [files.b1(1, "G1", when(1))])
    out = io.StringIO()
    call_command(
        "import_ledger", str(good), organisation=w.prod.uscc, table="B.1", user="alice", stdout=out
    )
    assert "imported 1 rows" in out.getvalue()
    bad = files.write_csv(tmp_path / "bad.csv", "B.1", [files.b1(1, "G2", when(1), qty="-1")])
    err = io.StringIO()
    with pytest.raises(CommandError, match="rejected: 1 problems"):
        call_command(
            "import_ledger",
            str(bad),
            organisation=w.prod.uscc,
            table="B.1",
            user="alice",
            stderr=err,
        )
    assert "row 2 产生量" in err.getvalue()
    assert not LedgerEvent.objects.filter(batch_code="G2").exists()


def test_a_file_that_is_not_what_it_claims_is_rejected(w, tmp_path) -> None:
    fake = tmp_path / "ledger.xlsx"
    fake.write_text("序号,产生批次编码\n", encoding="utf-8")
    batch = run(w, fake, None)
    assert batch.status == "rejected" and batch.errors[0]["code"] == "unreadable"
