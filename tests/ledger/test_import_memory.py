"""An import streams: memory stays flat however long the file is.

200,000 rows are imported under tracemalloc; the peak of Python allocations must stay under a
fixed bound that does not grow with the file (a list of 200,000 parsed rows alone would need
far more). No timing is asserted."""

from __future__ import annotations

import csv
import tracemalloc
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.ledger import ledger_world as lw
from wufei.ledger.importing import ledger_import_file
from wufei.ledger.models import LedgerEvent
from wufei.ledger.tables import TABLES

ROWS = 200_000
PEAK_BOUND = 16 * 1024 * 1024  # bytes (measured: about 2.5 MB)


@pytest.fixture
def w(db):
    return lw.build_world()


def test_a_200000_row_csv_imports_in_flat_memory(w, tmp_path) -> None:
    path = tmp_path / "big.csv"
    start = timezone.localtime(lw.days_ago(300))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(TABLES["B.1"].headers)
        for n in range(1, ROWS + 1):
            moment = (start + timedelta(minutes=n)).strftime("%Y-%m-%d %H:%M")
            writer.writerow(
                [
                    n,
                    f"HWCS{n:09d}",
                    moment,
                    "废机油",
                    "",
                    "HW08",
                    "900-249-08",
                    f"{n % 997 + 1}.25",
                    "kg",
                    f"C{n}",
                    "铁桶",
                    1,
                    "A-GEN",
                    "张三",
                    "贮存",
                ]
            )
    tracemalloc.start()
    try:
        batch = ledger_import_file(actor=w.alice, organisation=w.prod, path=path, table="B.1")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert batch.status == "succeeded", batch.errors[:5]
    assert LedgerEvent.objects.filter(import_batch=batch).count() == ROWS
    assert peak < PEAK_BOUND, f"peak {peak / 1e6:.1f} MB"
