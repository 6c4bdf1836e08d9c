"""Loading the catalogs shipped in wufei/catalog/data/ (see data/PROVENANCE.md).

The shipped 2021 list passes through the same validators as an imported edition, so a broken
data file fails loudly instead of loading half a list.
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from wufei.catalog.importing import (
    CategoryRow,
    CodeRow,
    ExemptionRow,
    RowError,
    check_categories,
    validate_category_rows,
    validate_code_rows,
    validate_exemption_rows,
)
from wufei.catalog.models import Stream, TreatmentKind, TreatmentMethod, WasteClass
from wufei.catalog.services import (
    EditionMeta,
    EditionReport,
    ImportRejected,
    SyncCounts,
    edition_sync,
    upsert,
)
from wufei.catalog.tables import open_table

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
LIST_2021 = DATA_DIR / "national_hazardous_waste_list_2021.csv"
CATEGORIES_2021 = DATA_DIR / "hw_categories_2021.csv"
EXEMPTIONS_2021 = DATA_DIR / "hw_exemption_list_2021.csv"
WASTE_CLASSES = DATA_DIR / "waste_classes.csv"
TREATMENT_METHODS = DATA_DIR / "treatment_methods.csv"

EDITION_2021 = EditionMeta(
    year=2021,
    title="国家危险废物名录（2021年版）",
    instrument="生态环境部 国家发展和改革委员会 公安部 交通运输部 国家卫生健康委员会令 第15号",
    # 名录（2021年版）第八条: 自2021年1月1日起施行.
    effective_from=date(2021, 1, 1),
    # Superseded by the 2025 edition (五部门令第36号), in force from 2025-01-01; that list is
    # not shipped because its table could not be verified (data/PROVENANCE.md).
    effective_until=date(2024, 12, 31),
    source=(
        "official-list-2021.pdf (生态环境部); rows transcribed to CSV and cross-checked against "
        "the PDF text — wufei/catalog/data/PROVENANCE.md"
    ),
)


@dataclass
class LoadReport:
    edition: EditionReport
    waste_classes: SyncCounts
    treatment_methods: SyncCounts

    @property
    def changed(self) -> bool:
        return self.edition.changed or self.waste_classes.changed or self.treatment_methods.changed

    def lines(self) -> list[str]:
        e = self.edition
        return [
            f"{e.edition.title}: categories {e.categories}, codes {e.codes}, "
            f"exemptions {e.exemptions}, exemption links {e.links}",
            f"waste classes {self.waste_classes}",
            f"treatment methods {self.treatment_methods}",
        ]


def _flag(value: str) -> bool:
    return value.strip().lower() in {"true", "1", "yes"}


def _plain_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _waste_class_rows() -> list[dict[str, object]]:
    streams = set(Stream.values)
    rows = []
    for row in _plain_rows(WASTE_CLASSES):
        if row["stream"] not in streams:
            raise ImportRejected(
                [RowError(WASTE_CLASSES.name, None, "stream", row["stream"], "unknown stream")]
            )
        rows.append(
            {
                "stream": row["stream"],
                "code": row["code"],
                "name": row["name"],
                "description": row["description"],
                "hazardous_code": row["hazardous_code"],
                "source": row["source"],
                "verified": _flag(row["verified"]),
                "sort_order": int(row["sort_order"]),
            }
        )
    return rows


def _treatment_rows() -> list[dict[str, object]]:
    kinds = set(TreatmentKind.values)
    rows = []
    for row in _plain_rows(TREATMENT_METHODS):
        if row["kind"] not in kinds:
            raise ImportRejected(
                [RowError(TREATMENT_METHODS.name, None, "kind", row["kind"], "unknown kind")]
            )
        rows.append(
            {
                "code": row["code"],
                "name": row["name"],
                "kind": row["kind"],
                "source": row["source"],
                "verified": _flag(row["verified"]),
                "sort_order": int(row["sort_order"]),
            }
        )
    return rows


def _validated_2021() -> tuple[list[CategoryRow], list[CodeRow], list[ExemptionRow]]:
    errors: list[RowError] = []
    with open_table(LIST_2021) as table:
        codes, found = validate_code_rows(table.rows, columns=table.columns, file=LIST_2021.name)
    errors += found
    with open_table(CATEGORIES_2021) as table:
        categories, found = validate_category_rows(
            table.rows, columns=table.columns, file=CATEGORIES_2021.name
        )
    errors += found + check_categories(codes, categories, file=CATEGORIES_2021.name)
    with open_table(EXEMPTIONS_2021) as table:
        exemptions, found = validate_exemption_rows(
            table.rows,
            columns=table.columns,
            file=EXEMPTIONS_2021.name,
            codes={c.code for c in codes},
            categories={c.code for c in categories},
        )
    errors += found
    if errors:
        raise ImportRejected(errors)
    return categories, codes, exemptions


def catalog_load_shipped(*, verbosity: int = 1) -> LoadReport:
    """Load (or bring up to date) the shipped 2021 list, classes and treatment methods."""
    categories, codes, exemptions = _validated_2021()
    with transaction.atomic():
        edition = edition_sync(
            meta=EDITION_2021, categories=categories, codes=codes, exemptions=exemptions
        )
        classes, _ = upsert(WasteClass.objects.all(), ["stream", "code"], _waste_class_rows())
        methods, _ = upsert(TreatmentMethod.objects.all(), ["code"], _treatment_rows())
    report = LoadReport(edition=edition, waste_classes=classes, treatment_methods=methods)
    if verbosity >= 2:
        for line in report.lines():
            logger.info(line)
    return report
