"""`wufei import_catalog`: add a new edition of the 国家危险废物名录 from a CSV or XLSX file.

Every row is checked first; if anything is wrong the command prints each bad row and writes
nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wufei.catalog.services import EditionMeta, catalog_import_edition
from wufei.core.errors import ValidationFailed


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = (
        "Import a new edition of the national hazardous waste list from a .csv or .xlsx file "
        "with the columns category_code, category_name, industry_source, waste_code, "
        "waste_description, hazard_characteristics[, pdf_page]."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the list (.csv in UTF-8 or .xlsx)")
        parser.add_argument("--year", type=int, required=True, help="edition year, e.g. 2025")
        parser.add_argument("--title", default="", help="default: 国家危险废物名录（<year>年版）")
        parser.add_argument("--effective-from", required=True, help="YYYY-MM-DD")
        parser.add_argument("--instrument", default="", help="e.g. 生态环境部等五部门令 第36号")
        parser.add_argument("--source", default="", help="where the file comes from")
        parser.add_argument(
            "--categories",
            type=Path,
            help="category_code, category_name[, num_waste_codes]; checked against the list",
        )
        parser.add_argument(
            "--exemptions", type=Path, help="exemption list in the layout of the 2021 one"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count, then write nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        year: int = options["year"]
        meta = EditionMeta(
            year=year,
            title=options["title"] or f"国家危险废物名录（{year}年版）",
            instrument=options["instrument"],
            effective_from=_date(options["effective_from"]),
            effective_until=None,
            source=options["source"] or f"import_catalog {path.name}",
        )
        try:
            report = catalog_import_edition(
                meta=meta,
                list_path=path,
                categories_path=options["categories"],
                exemptions_path=options["exemptions"],
                dry_run=options["dry_run"],
            )
        except ValidationFailed as exc:
            raise CommandError(exc.message) from exc
        prefix = "Dry run, nothing written: " if options["dry_run"] else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{meta.title}: {report.categories.created} categories, "
                f"{report.codes.created} codes, {report.exemptions.created} exemption rows."
            )
        )
