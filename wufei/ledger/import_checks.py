"""Checks across rows of an import, in SQL over the staging table.

Once every row is staged: batch codes unique in the file and new to the ledger; each link
(产生批次编码, 入库批次编码, 产生批次编码/出库批次编码) found in the file or the ledger and of an
allowed kind (HJ 1259-2022 appendix B); the linked batch of the same waste and not later; a
store-out at the store holding its batch; and no batch giving more than it holds — the running
total of what the file takes from a batch, in time order, against what the batch still holds.
Each check reports through `report(row, sheet, column, value, reason, code)`; queries stream
their results, so a file full of errors costs no memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, Min, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from wufei.domain.ledger_units import grams_as
from wufei.ledger import rules
from wufei.ledger.models import SOURCE_KINDS, EventKind, ImportBatch, ImportRow, LedgerEvent
from wufei.ledger.tables import TABLE_OF_KIND

Report = Callable[[int, str, str, str, str, str], None]


def _column(kind: str, field: str) -> str:
    return TABLE_OF_KIND[kind].header_of(field)


def _kinds_in(batch: ImportBatch) -> list[str]:
    present = set(batch.staged_rows.values_list("kind", flat=True).distinct())
    return [k for k in EventKind.values if k in present]


def link_sources(batch: ImportBatch) -> None:
    """Point each staged row at its source: a ledger event, else a row of the same file."""
    for kind in _kinds_in(batch):
        allowed = SOURCE_KINDS[kind]
        if not allowed:
            continue
        rows = ImportRow.objects.filter(batch=batch, kind=kind).exclude(source_code="")
        rows.update(
            source_event=Subquery(
                LedgerEvent.objects.filter(
                    organisation_id=batch.organisation_id,
                    kind__in=allowed,
                    batch_code=OuterRef("source_code"),
                )
                .order_by("pk")
                .values("pk")[:1]
            )
        )
        rows.filter(source_event__isnull=True).update(
            source_row=Subquery(
                ImportRow.objects.filter(
                    batch=batch, kind__in=allowed, batch_code=OuterRef("source_code")
                )
                .order_by("pk")
                .values("pk")[:1]
            )
        )
    # A hand-over (B.5 has no facility column) leaves from where its source batch is.
    hand_overs = ImportRow.objects.filter(batch=batch, kind=EventKind.HAND_OVER)
    hand_overs.filter(source_event__isnull=False).update(
        facility=Subquery(
            LedgerEvent.objects.filter(pk=OuterRef("source_event")).values("facility")[:1]
        )
    )
    hand_overs.filter(source_row__isnull=False).update(
        facility=Subquery(
            ImportRow.objects.filter(pk=OuterRef("source_row")).values("facility")[:1]
        )
    )


def resolve_references(batch: ImportBatch) -> None:
    """Containers by their code (same unit and waste) and licensed receivers by permit number."""
    from wufei.ledger.models import Container
    from wufei.registry.models import Permit

    staged = ImportRow.objects.filter(batch=batch)
    staged.exclude(container_code="").update(
        container=Subquery(
            Container.objects.filter(
                organisation_id=batch.organisation_id,
                code=OuterRef("container_code"),
                waste_code=OuterRef("waste_code"),
            ).values("pk")[:1]
        )
    )
    staged.filter(kind=EventKind.HAND_OVER).exclude(receiver_permit_number="").update(
        receiver=Subquery(
            Permit.objects.filter(number=OuterRef("receiver_permit_number")).values("organisation")[
                :1
            ]
        )
    )


def _each(rows: QuerySet[ImportRow], *fields: str) -> Iterable[dict[str, Any]]:
    return (
        rows.order_by("row_number")
        .values("row_number", "sheet", "kind", *fields)
        .iterator(chunk_size=2000)
    )


def check_batch_codes(batch: ImportBatch, report: Report) -> None:
    """Each batch code once per step within the file (HJ 1259-2022 appendix B)."""
    staged = ImportRow.objects.filter(batch=batch)
    dupes = (
        staged.values("kind", "batch_code")
        .annotate(n=Count("pk"), first=Min("row_number"))
        .filter(n__gt=1)
        .order_by()
    )
    first_of = Subquery(
        dupes.filter(kind=OuterRef("kind"), batch_code=OuterRef("batch_code")).values("first")[:1]
    )
    repeated = (
        staged.annotate(first=first_of).filter(first__isnull=False).exclude(row_number=F("first"))
    )
    for row in _each(repeated, "batch_code", "first"):
        report(
            row["row_number"],
            row["sheet"],
            _column(row["kind"], "batch_code"),
            row["batch_code"],
            _("Batch code repeated; first used in row %(row)d (HJ 1259-2022 appendix B).")
            % {"row": row["first"]},
            "batch_code_repeated",
        )


def check_batch_codes_new(batch: ImportBatch, report: Report) -> None:
    """No batch code of the file is already in the ledger for the same step."""
    staged = ImportRow.objects.filter(batch=batch)
    existing = LedgerEvent.objects.filter(
        organisation_id=batch.organisation_id,
        kind=OuterRef("kind"),
        batch_code=OuterRef("batch_code"),
    )
    for row in _each(staged.filter(Exists(existing)), "batch_code"):
        report(
            row["row_number"],
            row["sheet"],
            _column(row["kind"], "batch_code"),
            row["batch_code"],
            _("Batch code already in the ledger (HJ 1259-2022 appendix B)."),
            "batch_code_taken",
        )


def check_links(batch: ImportBatch, report: Report) -> None:
    broken = ImportRow.objects.filter(
        batch=batch, source_event__isnull=True, source_row__isnull=True
    ).exclude(source_code="")
    elsewhere_db = LedgerEvent.objects.filter(
        organisation_id=batch.organisation_id, batch_code=OuterRef("source_code")
    )
    elsewhere_file = ImportRow.objects.filter(batch=batch, batch_code=OuterRef("source_code"))
    rows = broken.annotate(other_kind=Exists(elsewhere_db) | Exists(elsewhere_file))
    for row in _each(rows, "source_code", "other_kind"):
        clause = rules.CLAUSE[row["kind"]]
        if row["other_kind"]:
            reason = _(
                "Batch %(batch)s is not a step this one can take waste from (%(clause)s)."
            ) % {"batch": row["source_code"], "clause": clause}
            code = "source_kind_not_allowed"
        else:
            reason = _("No batch %(batch)s in this file or the ledger (%(clause)s).") % {
                "batch": row["source_code"],
                "clause": clause,
            }
            code = "source_unknown"
        report(
            row["row_number"],
            row["sheet"],
            _column(row["kind"], "source"),
            row["source_code"],
            reason,
            code,
        )


def check_link_consistency(batch: ImportBatch, report: Report) -> None:
    """Same waste code, not earlier than the source, a store-out at its batch's store."""
    staged = ImportRow.objects.filter(batch=batch)
    for via in ("source_event", "source_row"):
        linked = staged.filter(**{f"{via}__isnull": False})
        checks = (
            (
                linked.exclude(waste_code=F(f"{via}__waste_code")),
                "waste_code",
                _("The linked batch %(batch)s holds another waste code (%(clause)s)."),
                "source_other_waste_code",
            ),
            (
                linked.filter(occurred_at__lt=F(f"{via}__occurred_at")),
                "occurred_at",
                _("The time is before the linked batch %(batch)s (%(clause)s)."),
                "before_source",
            ),
            (
                linked.filter(kind=EventKind.STORE_OUT).exclude(facility=F(f"{via}__facility")),
                "facility",
                _("The linked batch %(batch)s is held at another facility (%(clause)s)."),
                "source_other_facility",
            ),
        )
        for rows, field, message, code in checks:
            for row in _each(
                rows, "source_code", "waste_code__code", "facility__code", "occurred_at"
            ):
                value = {
                    "waste_code": row["waste_code__code"],
                    "facility": row["facility__code"] or "",
                    "occurred_at": str(row["occurred_at"]),
                }[field]
                report(
                    row["row_number"],
                    row["sheet"],
                    _column(row["kind"], field),
                    value,
                    message % {"batch": row["source_code"], "clause": rules.CLAUSE[row["kind"]]},
                    code,
                )


_OVERDRAWN_SQL = """
SELECT r.row_number, r.sheet, r.kind, r.quantity_g, r.source_code,
       {available} - (r.running - r.quantity_g) AS available
FROM (
    SELECT s.row_number, s.sheet, s.kind, s.quantity_g, s.source_code, s.{link} AS link,
           SUM(s.quantity_g) OVER (
               PARTITION BY s.{link} ORDER BY s.occurred_at, s.row_number
               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
           ) AS running
    FROM {staging} s
    WHERE s.batch_id = %s AND s.{link} IS NOT NULL
) r
JOIN {source_table} src ON src.id = r.link
WHERE r.running > {available}
ORDER BY r.row_number
"""


def check_stock(batch: ImportBatch, report: Report) -> None:
    """HJ 1259-2022 4.1.2, 6.3: what the file takes from a batch never exceeds what it holds."""
    staging = connection.ops.quote_name(ImportRow._meta.db_table)
    events = connection.ops.quote_name(LedgerEvent._meta.db_table)
    variants = (
        # A batch in the ledger holds its quantity minus what ledger events already took.
        (
            "source_event_id",
            events,
            f"(src.quantity_g - COALESCE((SELECT SUM(c.quantity_g) FROM {events} c "  # noqa: S608
            "WHERE c.source_id = src.id), 0))",
        ),
        ("source_row_id", staging, "src.quantity_g"),  # a batch of this file: all of it
    )
    for link, source_table, available in variants:
        sql = _OVERDRAWN_SQL.format(
            link=link, staging=staging, source_table=source_table, available=available
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [batch.pk])
            while chunk := cursor.fetchmany(1000):
                for number, sheet, kind, quantity_g, source_code, still in chunk:
                    report(
                        number,
                        sheet,
                        _column(kind, "quantity"),
                        grams_as(quantity_g, "kg") + " kg",
                        _(
                            "%(quantity)s kg exceeds the %(remaining)s kg that batch %(batch)s "
                            "still holds at this row (%(clause)s)."
                        )
                        % {
                            "quantity": grams_as(quantity_g, "kg"),
                            "remaining": grams_as(max(int(still), 0), "kg"),
                            "batch": source_code,
                            "clause": rules.CLAUSE[kind],
                        },
                        "exceeds_stock",
                    )


def check_all(batch: ImportBatch, report: Report) -> None:
    link_sources(batch)
    resolve_references(batch)
    check_batch_codes(batch, report)
    check_batch_codes_new(batch, report)
    check_links(batch, report)
    check_link_consistency(batch, report)
    check_stock(batch, report)
