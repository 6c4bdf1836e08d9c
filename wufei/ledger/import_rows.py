"""Checking one row of an appendix-B file on its own and turning it into a staging row.

What needs no other row is checked here: formats, the code in the edition in force at the
row's time, unit and quantity, time not in the future, the facility being the unit's and fit
for the step, the columns HJ 1259-2022 6.3 requires. Every problem of a row is reported, each
with its column. Links between rows and to the ledger are checked afterwards in SQL
(`wufei.ledger.import_checks`).
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from functools import partial
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.catalog.models import CatalogEdition, HazardousCode, TreatmentMethod
from wufei.core.errors import ValidationFailed
from wufei.domain.ledger_units import QuantityRefused, grams_from, unit_normalise
from wufei.ledger import rules
from wufei.ledger.import_cells import (
    MAX_LENGTH,
    TEXT_FIELDS,
    CellRefused,
    RowError,
    Step,
    cell_text,
    datetime_adapter,
    parse_text_time,
)
from wufei.ledger.models import EventKind
from wufei.ledger.tables import Table
from wufei.registry.models import Organisation


class RowParser:
    """Parses the rows of one import; loads the unit's facilities and the catalog once."""

    def __init__(self, *, organisation: Organisation, batch_id: int) -> None:
        self.organisation = organisation
        self.batch_id = batch_id
        self.now = timezone.now()
        self.tz = timezone.get_default_timezone()
        self.ceiling_g = rules.max_record_g()
        editions = list(CatalogEdition.objects.order_by("-effective_from"))
        self.editions = [(e.effective_from, e.effective_until, e) for e in editions]
        self.latest = max(editions, key=lambda e: e.year) if editions else None
        self.codes: dict[int, dict[str, tuple[int, str]]] = {}
        for pk, edition_id, code, category in HazardousCode.objects.values_list(
            "pk", "edition_id", "code", "category__code"
        ):
            self.codes.setdefault(edition_id, {})[code] = (pk, category)
        self.facilities = {
            code: (pk, kind)
            for pk, code, kind in organisation.facilities.values_list("pk", "code", "kind")
        }
        self.methods = dict(TreatmentMethod.objects.values_list("code", "pk"))
        self._edition_cache: dict[date, CatalogEdition | None] = {}
        self._plans: dict[str, list[tuple[str, Step]]] = {}
        self._adapt = datetime_adapter()

    def edition_on(self, day: date) -> CatalogEdition | None:
        """The edition in force on `day` (as `current_edition`), cached per day."""
        if day not in self._edition_cache:
            found = next(
                (
                    e
                    for start, end, e in self.editions
                    if start <= day and (end is None or day <= end)
                ),
                self.latest,
            )
            self._edition_cache[day] = found
        return self._edition_cache[day]

    # -- cell parsers ------------------------------------------------------------------------

    def _moment(self, field: str, value: Any, *, required: bool = True) -> datetime | None:
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, date):
            moment = datetime.combine(value, time())
        else:
            text = cell_text(value).replace("/", "-").replace("T", " ")
            if not text:
                if required:
                    raise CellRefused(field, _("A time is required."), "required")
                return None
            moment = parse_text_time(field, text)
        if moment.tzinfo is None:  # a wall-clock time in China Standard Time
            moment = moment.replace(tzinfo=self.tz)
        return moment

    def _length(self, field: str, text: str) -> str:
        limit = MAX_LENGTH.get(field)
        if limit is not None and len(text) > limit:
            raise CellRefused(field, _("At most %(n)d characters.") % {"n": limit}, "too_long")
        return text

    # -- the row -----------------------------------------------------------------------------

    def _plan(self, kind: str) -> list[tuple[str, Step]]:
        """The checks of a row of `kind`, in column order: (field, check)."""
        plan: list[tuple[str, Step]] = [
            ("batch_code", self._batch_code),
            ("occurred_at", self._time),
            ("waste_code", self._waste_code),
            ("quantity", self._quantity),
            ("container_count", self._container),
        ]
        if kind != EventKind.HAND_OVER:
            plan += [
                ("facility", partial(self._facility, kind)),
                ("handled_by", partial(self._handler, kind)),
            ]
        if kind != EventKind.GENERATE:
            plan.append(("source", partial(self._source, kind)))
        if kind in (EventKind.TREAT_IN_HOUSE, EventKind.HAND_OVER):
            plan.append(("treatment_method", partial(self._method, kind)))
        if kind == EventKind.TREAT_IN_HOUSE:
            plan.append(("finished_at", self._finished))
        if kind == EventKind.HAND_OVER:
            plan.append(("receiver_type", self._receiver))
        for field in (*TEXT_FIELDS, "second_handler"):
            plan.append((field, partial(self._plain_text, field)))
        return plan

    def parse(
        self, table: Table, sheet: str, number: int, values: tuple[Any, ...]
    ) -> tuple[Any, ...] | list[RowError]:
        """The staging tuple (STAGE_COLUMNS) of a good row, or every problem of a bad one.

        A good row runs through its checks once; only a bad one is checked column by column
        again, so that the report names every problem of the row, not just the first.
        """
        cells = dict(zip(table.fields, values, strict=False))
        out: dict[str, Any] = {}
        plan = self._plans.get(table.kind) or self._plans.setdefault(
            table.kind, self._plan(table.kind)
        )
        try:
            for _field, step in plan:
                step(cells, out)
        except (CellRefused, ValidationFailed):
            return self._errors(table, plan, cells)
        adapt = self._adapt
        return (
            self.batch_id,
            number,
            sheet,
            table.kind,
            out["batch_code"],
            adapt(out["occurred_at"]),
            out.get("facility_id"),
            out["waste_code_id"],
            out.get("internal_name", ""),
            out.get("container_code", ""),
            out.get("container_type", ""),
            out["container_count"],
            out["quantity_g"],
            out["unit"],
            out.get("source_code", ""),
            out.get("treatment_method_id"),
            adapt(out["finished_at"]) if out.get("finished_at") else None,
            out.get("destination", ""),
            out.get("receiver_type", ""),
            out.get("receiver_permit_number", ""),
            out.get("handled_by", ""),
            out.get("second_handler", ""),
        )

    def _errors(
        self, table: Table, plan: list[tuple[str, Step]], cells: dict[str, Any]
    ) -> list[RowError]:
        errors: list[RowError] = []
        out: dict[str, Any] = {}
        for field, step in plan:
            try:
                step(cells, out)
            except CellRefused as exc:
                errors.append(
                    RowError(
                        table.header_of(exc.field),
                        cell_text(cells.get(exc.field)),
                        exc.reason,
                        exc.code,
                    )
                )
            except ValidationFailed as exc:
                errors.append(
                    RowError(
                        table.header_of(field), cell_text(cells.get(field)), exc.message, exc.code
                    )
                )
        return errors

    def _plain_text(self, field: str, cells: dict[str, Any], out: dict[str, Any]) -> None:
        if field in cells:
            out[field] = self._length(field, cell_text(cells[field]))

    def _batch_code(self, cells: dict[str, Any], out: dict[str, Any]) -> None:
        code = cell_text(cells.get("batch_code"))
        if not code:
            raise CellRefused(
                "batch_code", _("The batch code is required (HJ 1259-2022 6.3)."), "required"
            )
        out["batch_code"] = self._length("batch_code", code)

    def _time(self, cells: dict[str, Any], out: dict[str, Any]) -> None:
        moment = self._moment("occurred_at", cells.get("occurred_at"))
        assert moment is not None
        rules.rule_time_not_future(moment, now=self.now)
        out["occurred_at"] = moment

    def _waste_code(self, cells: dict[str, Any], out: dict[str, Any]) -> None:
        code = cell_text(cells.get("waste_code"))
        if not code:
            raise CellRefused(
                "waste_code", _("The waste code is required (HJ 1259-2022 6.3)."), "required"
            )
        moment = out.get("occurred_at") or self.now
        local = moment if moment.tzinfo is self.tz else moment.astimezone(self.tz)
        edition = self.edition_on(local.date())
        found = self.codes.get(edition.pk, {}).get(code) if edition else None
        if found is None:
            raise CellRefused(
                "waste_code",
                _("Waste code %(code)s is not in the %(edition)s, in force at that time.")
                % {"code": code, "edition": edition.title if edition else "—"},
                "code_unknown",
            )
        category = cell_text(cells.get("_category")).upper()
        if category and category != found[1]:
            raise CellRefused(
                "_category",
                _("Code %(code)s belongs to category %(category)s.")
                % {"code": code, "category": found[1]},
                "category_mismatch",
            )
        out["waste_code_id"] = found[0]

    def _quantity(self, cells: dict[str, Any], out: dict[str, Any]) -> None:
        raw, unit_text = cells.get("quantity"), cell_text(cells.get("unit")) or "kg"
        try:
            unit = unit_normalise(unit_text)
        except QuantityRefused:
            raise CellRefused(
                "unit", _("The unit must be kg or t (千克, 公斤, 吨)."), "unit_unknown"
            ) from None
        text = repr(raw) if isinstance(raw, float) else cell_text(raw)
        if not text:
            raise CellRefused("quantity", _("The quantity is required."), "required")
        try:
            grams = grams_from(Decimal(text) if isinstance(raw, float) else text, unit)
        except QuantityRefused as exc:
            reason = (
                _("More precise than a gram.")
                if exc.code == "finer_than_gram"
                else _("Not a number.")
            )
            raise CellRefused("quantity", reason, exc.code) from None
        try:
            rules.rule_quantity_positive(grams)
            rules.rule_quantity_plausible(grams, ceiling_g=self.ceiling_g)
        except ValidationFailed as exc:
            raise CellRefused("quantity", exc.message, exc.code) from None
        out["quantity_g"], out["unit"] = grams, unit

    def _container(self, cells: dict[str, Any], out: dict[str, Any]) -> None:
        text = cell_text(cells.get("container_count"))
        out["container_count"] = 0
        if text:
            if not text.isdigit():
                raise CellRefused(
                    "container_count", _("A whole number of containers."), "not_a_count"
                )
            out["container_count"] = int(text)

    def _facility(self, kind: str, cells: dict[str, Any], out: dict[str, Any]) -> None:
        code = cell_text(cells.get("facility"))
        if not code:
            raise CellRefused(
                "facility", _("The facility code is required (HJ 1259-2022 6.3)."), "required"
            )
        found = self.facilities.get(code)
        if found is None:
            raise CellRefused(
                "facility",
                _("%(org)s has no facility with code %(code)s (HJ 1259-2022 5.4.2).")
                % {"org": self.organisation.name, "code": code},
                "facility_unknown",
            )
        rules.rule_facility_fits_kind(kind, found[1], code)
        out["facility_id"] = found[0]

    def _handler(self, kind: str, cells: dict[str, Any], out: dict[str, Any]) -> None:
        name = cell_text(cells.get("handled_by"))
        if not name:
            raise CellRefused(
                "handled_by",
                _("The person responsible is required (%(clause)s).")
                % {"clause": rules.CLAUSE[kind]},
                "required",
            )
        out["handled_by"] = self._length("handled_by", name)

    def _source(self, kind: str, cells: dict[str, Any], out: dict[str, Any]) -> None:
        code = cell_text(cells.get("source"))
        if not code:
            raise CellRefused(
                "source",
                _("The linked batch code is required (%(clause)s).")
                % {"clause": rules.CLAUSE[kind]},
                "required",
            )
        out["source_code"] = self._length("source", code)

    def _method(self, kind: str, cells: dict[str, Any], out: dict[str, Any]) -> None:
        text = cell_text(cells.get("treatment_method"))
        code = text.split(" ", 1)[0].upper() if text else ""
        if not code:
            raise CellRefused(
                "treatment_method",
                _("The treatment method is required (%(clause)s).")
                % {"clause": rules.CLAUSE[kind]},
                "required",
            )
        if code not in self.methods:
            raise CellRefused(
                "treatment_method",
                _("Unknown treatment method code %(code)s.") % {"code": code},
                "method_unknown",
            )
        out["treatment_method_id"] = self.methods[code]

    def _finished(self, cells: dict[str, Any], out: dict[str, Any]) -> None:
        finished = self._moment("finished_at", cells.get("finished_at"), required=False)
        if finished is not None and "occurred_at" in out:
            rules.rule_finished_after_start(out["occurred_at"], finished)
        out["finished_at"] = finished

    def _receiver(self, cells: dict[str, Any], out: dict[str, Any]) -> None:
        receiver_type = cell_text(cells.get("receiver_type"))
        name_field, number_field = {
            rules.RECEIVER_LICENSED: ("receiver_licensed", "permit_number"),
            rules.RECEIVER_EXEMPT: ("receiver_exempt", ""),
            rules.RECEIVER_ABROAD: ("receiver_abroad", "export_approval"),
        }.get(receiver_type, ("", ""))
        number = (
            self._length(number_field, cell_text(cells.get(number_field))) if number_field else ""
        )
        rules.rule_receiver_documented(receiver_type, number)
        name = cell_text(cells.get(name_field))
        if not name:
            raise CellRefused(
                name_field,
                _("The receiving unit's name is required (HJ 1259-2022 6.3.5)."),
                "required",
            )
        out["receiver_type"] = receiver_type
        out["receiver_permit_number"] = number
        out["destination"] = self._length("destination", name)
