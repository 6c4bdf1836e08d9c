"""Writing catalog rows: create or bring up to date, never delete.

Rows of an edition are matched on their natural keys (category code, waste code, position in the
exemption list), so loading the same data twice changes nothing and other records' foreign keys
to codes stay valid. Rows no longer in the data are left in place: an edition is history.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from wufei.catalog.importing import (
    CategoryRow,
    CodeRow,
    ExemptionRow,
    RowError,
    categories_from_codes,
    check_categories,
    format_report,
    validate_category_rows,
    validate_code_rows,
    validate_exemption_rows,
)
from wufei.catalog.models import (
    CatalogEdition,
    Exemption,
    HazardousCategory,
    HazardousCode,
)
from wufei.catalog.tables import open_table
from wufei.core.errors import ValidationFailed

M = TypeVar("M", bound=models.Model)
R = TypeVar("R")
BATCH = 500


@dataclass(frozen=True)
class EditionMeta:
    year: int
    title: str
    instrument: str
    effective_from: date
    effective_until: date | None
    source: str


@dataclass
class SyncCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def __str__(self) -> str:
        return f"+{self.created} ~{self.updated} ={self.unchanged}"


@dataclass
class EditionReport:
    edition: CatalogEdition
    edition_counts: SyncCounts = field(default_factory=SyncCounts)
    categories: SyncCounts = field(default_factory=SyncCounts)
    codes: SyncCounts = field(default_factory=SyncCounts)
    exemptions: SyncCounts = field(default_factory=SyncCounts)
    links: SyncCounts = field(default_factory=SyncCounts)

    @property
    def changed(self) -> bool:
        return any(
            c.changed
            for c in (self.edition_counts, self.categories, self.codes, self.exemptions, self.links)
        )


def upsert(
    queryset: QuerySet[M], key: Sequence[str], rows: Sequence[dict[str, Any]]
) -> tuple[SyncCounts, dict[tuple[Any, ...], M]]:
    """Create missing rows and update changed ones in bulk; return counts and rows by key."""
    model = queryset.model
    existing = {tuple(getattr(obj, f) for f in key): obj for obj in queryset}
    counts = SyncCounts()
    to_create: list[M] = []
    to_update: list[M] = []
    changed_fields: set[str] = set()
    for values in rows:
        obj = existing.get(tuple(values[f] for f in key))
        if obj is None:
            to_create.append(model(**values))
            continue
        diff = [name for name, value in values.items() if getattr(obj, name) != value]
        for name in diff:
            setattr(obj, name, values[name])
        if diff:
            changed_fields.update(diff)
            to_update.append(obj)
        else:
            counts.unchanged += 1
    model._default_manager.bulk_create(to_create, batch_size=BATCH)
    if to_update:
        model._default_manager.bulk_update(to_update, sorted(changed_fields), batch_size=BATCH)
    counts.created, counts.updated = len(to_create), len(to_update)
    refreshed = {tuple(getattr(obj, f) for f in key): obj for obj in queryset.all()}
    return counts, refreshed


def _sync_links(
    through: type[models.Model], edition: CatalogEdition, target: str, wanted: set[tuple[int, int]]
) -> SyncCounts:
    """Make the exemption→code (or →category) links of an edition exactly `wanted`."""
    current = set(
        through._default_manager.filter(exemption__edition=edition).values_list(
            "exemption_id", f"{target}_id"
        )
    )
    add, remove = wanted - current, current - wanted
    through._default_manager.bulk_create(
        [through(**{"exemption_id": e, f"{target}_id": t}) for e, t in sorted(add)],
        batch_size=BATCH,
    )
    for exemption_id, target_id in remove:
        through._default_manager.filter(
            **{"exemption_id": exemption_id, f"{target}_id": target_id}
        ).delete()
    return SyncCounts(created=len(add), updated=len(remove), unchanged=len(current & wanted))


def _edition_until(meta: EditionMeta) -> date | None:
    """The day before the next edition takes effect, if one is loaded; else as published."""
    later = (
        CatalogEdition.objects.filter(effective_from__gt=meta.effective_from)
        .exclude(year=meta.year)
        .order_by("effective_from")
        .first()
    )
    return later.effective_from - timedelta(days=1) if later else meta.effective_until


@transaction.atomic
def edition_sync(
    *,
    meta: EditionMeta,
    categories: Sequence[CategoryRow],
    codes: Sequence[CodeRow],
    exemptions: Sequence[ExemptionRow],
) -> EditionReport:
    """Create the edition `meta.year` or bring it up to date with validated rows."""
    edition_values = {
        "year": meta.year,
        "title": meta.title,
        "instrument": meta.instrument,
        "effective_from": meta.effective_from,
        "effective_until": _edition_until(meta),
        "source": meta.source,
    }
    edition_counts, editions = upsert(
        CatalogEdition.objects.filter(year=meta.year), ["year"], [edition_values]
    )
    edition = editions[(meta.year,)]
    report = EditionReport(edition=edition, edition_counts=edition_counts)

    report.categories, category_by_code = upsert(
        HazardousCategory.objects.filter(edition=edition),
        ["code"],
        [{"edition_id": edition.pk, "code": c.code, "name": c.name} for c in categories],
    )
    report.codes, code_by_code = upsert(
        HazardousCode.objects.filter(edition=edition),
        ["code"],
        [
            {
                "edition_id": edition.pk,
                "category_id": category_by_code[(row.category_code,)].pk,
                "code": row.code,
                "industry_source": row.industry_source,
                "description": row.description,
                "hazard_characteristics": row.hazard_characteristics,
                "source_page": row.source_page,
            }
            for row in codes
        ],
    )
    report.exemptions, exemption_by_position = upsert(
        Exemption.objects.filter(edition=edition),
        ["position"],
        [
            {
                "edition_id": edition.pk,
                "position": row.position,
                "item_no": row.item_no,
                "subject": row.subject,
                "waste": row.waste,
                "stage": row.stage,
                "condition": row.condition,
                "content": row.content,
                "source_page": row.source_page,
            }
            for row in exemptions
        ],
    )
    code_links = {
        (exemption_by_position[(row.position,)].pk, code_by_code[(code,)].pk)
        for row in exemptions
        for code in row.codes
    }
    category_links = {
        (exemption_by_position[(row.position,)].pk, category_by_code[(code,)].pk)
        for row in exemptions
        for code in row.categories
    }
    by_codes = _sync_links(Exemption.codes.through, edition, "hazardouscode", code_links)
    by_categories = _sync_links(
        Exemption.categories.through, edition, "hazardouscategory", category_links
    )
    report.links = SyncCounts(
        created=by_codes.created + by_categories.created,
        updated=by_codes.updated + by_categories.updated,
        unchanged=by_codes.unchanged + by_categories.unchanged,
    )
    return report


def edition_close_previous(*, edition: CatalogEdition) -> CatalogEdition | None:
    """End the edition in force before `edition` on the day before `edition` takes effect."""
    previous = (
        CatalogEdition.objects.filter(effective_from__lt=edition.effective_from)
        .exclude(pk=edition.pk)
        .order_by("-effective_from")
        .first()
    )
    if previous is not None:
        previous.effective_until = edition.effective_from - timedelta(days=1)
        previous.save(update_fields=["effective_until"])
    return previous


class ImportRejected(ValidationFailed):
    """An import found errors; `errors` lists them all and nothing was written."""

    default_code = "import_rejected"

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        super().__init__(format_report(self.errors))


def _read(
    path: Path, validate: Callable[..., tuple[list[R], list[RowError]]], **kw: Any
) -> tuple[list[R], list[RowError]]:
    with open_table(path) as table:
        return validate(table.rows, columns=table.columns, file=path.name, **kw)


def _edition_errors(meta: EditionMeta) -> list[RowError]:
    errors = []
    if CatalogEdition.objects.filter(year=meta.year).exists():
        errors.append(
            RowError(
                "",
                None,
                "--year",
                str(meta.year),
                _("edition %(year)s is already loaded; an edition is never overwritten")
                % {"year": meta.year},
            )
        )
    same_day = CatalogEdition.objects.filter(effective_from=meta.effective_from).first()
    if same_day is not None:
        errors.append(
            RowError(
                "",
                None,
                "--effective-from",
                meta.effective_from.isoformat(),
                _("edition %(year)s already takes effect on that day") % {"year": same_day.year},
            )
        )
    return errors


def catalog_import_edition(
    *,
    meta: EditionMeta,
    list_path: Path,
    categories_path: Path | None = None,
    exemptions_path: Path | None = None,
    dry_run: bool = False,
) -> EditionReport:
    """Validate every row of the files, then write the new edition in one transaction.

    Any error raises ImportRejected before a single row is written. The edition in force before
    the new one ends the day before the new one takes effect. A dry run rolls back at the end.
    """
    errors = _edition_errors(meta)
    codes, list_errors = _read(list_path, validate_code_rows)
    errors += list_errors
    if categories_path is not None:
        categories, found = _read(categories_path, validate_category_rows)
        errors += found
        if not found and not list_errors:
            # Counts are only meaningful when every row of the list is valid.
            errors += check_categories(codes, categories, file=categories_path.name)
    else:
        categories = categories_from_codes(codes)
    exemptions: list[ExemptionRow] = []
    if exemptions_path is not None:
        exemptions, found = _read(
            exemptions_path,
            validate_exemption_rows,
            codes={c.code for c in codes},
            categories={c.code for c in categories},
        )
        errors += found
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        report = edition_sync(meta=meta, categories=categories, codes=codes, exemptions=exemptions)
        edition_close_previous(edition=report.edition)
        if dry_run:
            transaction.set_rollback(True)
    return report
