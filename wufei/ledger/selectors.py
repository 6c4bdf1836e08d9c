"""Reading the ledger: who sees which events, what each batch still holds, stock and balance.

Policy (ADR 0005): an organisation's ledger is seen by its members, by the regulators of the
region where it is registered or where the facility of the event lies, and by platform
administrators; nobody else — anything else answers "not found".

Stock is derived, never typed: an event that places waste somewhere (generation, receipt,
store-in, store-out) holds its quantity minus what later events took from it (`source`).
Treatment and hand-over end the waste's stay in this ledger and hold nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.accounts.viewer import Viewer
from wufei.catalog.models import HazardousCode
from wufei.core.errors import NotFound
from wufei.domain.ledger_balance import BalanceRow, balance_group, balance_rows, stock_from
from wufei.domain.ledger_units import tonnes_text
from wufei.ledger.models import SOURCE_KINDS, Container, EventKind, ImportBatch, LedgerEvent
from wufei.registry.models import Facility, Organisation

HOLDING_KINDS = (EventKind.GENERATE, EventKind.RECEIVE, EventKind.STORE_IN, EventKind.STORE_OUT)
TERMINAL_KINDS = (EventKind.TREAT_IN_HOUSE, EventKind.HAND_OVER)
NOTHING = Q(pk__in=[])


# --- visibility -----------------------------------------------------------------------------


def _organisation_q(viewer: Viewer) -> Q:
    """Organisations whose ledger the viewer may read."""
    if not viewer.is_authenticated:
        return NOTHING
    if viewer.is_admin:
        return Q()
    q = Q(pk__in=viewer.organisation_ids) if viewer.memberships else NOTHING
    if viewer.is_regulator:
        in_region = Facility.objects.filter(viewer.region_q("region__prefix"))
        q |= viewer.region_q("region__prefix") | Q(pk__in=in_region.values("organisation_id"))
    return q


def event_visibility_q(viewer: Viewer) -> Q:
    """Which ledger events the viewer may read, as a filter on any model with the event's
    `organisation` and `facility` (the events themselves, the map's cells)."""
    if not viewer.is_authenticated:
        return NOTHING
    if viewer.is_admin:
        return Q()
    q = Q(organisation_id__in=viewer.organisation_ids) if viewer.memberships else NOTHING
    if viewer.is_regulator:
        q |= viewer.region_q("organisation__region__prefix") | viewer.region_q(
            "facility__region__prefix"
        )
    return q


def ledger_events_visible(*, viewer: Viewer) -> QuerySet[LedgerEvent]:
    """Every ledger event the viewer may read."""
    return LedgerEvent.objects.filter(event_visibility_q(viewer))


def ledger_organisations_visible(*, viewer: Viewer) -> QuerySet[Organisation]:
    """Organisations whose ledger the viewer may open."""
    return Organisation.objects.filter(_organisation_q(viewer)).select_related("region")


def ledger_organisation_get(*, viewer: Viewer, uscc: str) -> Organisation:
    """The organisation whose ledger is asked for, or NotFound (also when merely invisible)."""
    org = ledger_organisations_visible(viewer=viewer).filter(uscc=uscc.strip().upper()).first()
    if org is None:
        raise NotFound(
            _("No ledger of an organisation with code %(uscc)s is visible to you.")
            % {"uscc": uscc},
            field="organisation",
        )
    return org


def _visible_organisation(viewer: Viewer, organisation: Organisation) -> Organisation:
    return ledger_organisation_get(viewer=viewer, uscc=organisation.uscc)


def ledger_event_get(*, viewer: Viewer, pk: int) -> LedgerEvent:
    event = ledger_events_visible(viewer=viewer).filter(pk=pk).first()
    if event is None:
        raise NotFound(_("No such ledger event is visible to you."), field="event")
    return event


def import_batch_get(*, viewer: Viewer, pk: int) -> ImportBatch:
    """An import is seen by whoever may read that organisation's ledger."""
    visible = ledger_organisations_visible(viewer=viewer).values("pk")
    batch = ImportBatch.objects.filter(pk=pk, organisation__in=visible).first()
    if batch is None:
        raise NotFound(_("No such import is visible to you."), field="import")
    return batch


def ledger_event_list(
    *,
    viewer: Viewer,
    organisation: Organisation | None = None,
    kind: str = "",
    start: datetime | None = None,
    end: datetime | None = None,
    waste_code: str = "",
    facility_code: str = "",
    search: str = "",
) -> QuerySet[LedgerEvent]:
    """Visible events, newest first, filtered; `end` is exclusive."""
    qs = ledger_events_visible(viewer=viewer).select_related(
        "organisation", "facility", "waste_code__category", "source", "treatment_method"
    )
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if kind:
        qs = qs.filter(kind=kind)
    if start is not None:
        qs = qs.filter(occurred_at__gte=start)
    if end is not None:
        qs = qs.filter(occurred_at__lt=end)
    if waste_code := waste_code.strip():
        qs = qs.filter(waste_code__code__startswith=waste_code)
    if facility_code := facility_code.strip():
        qs = qs.filter(facility__code=facility_code)
    if search := search.strip():
        qs = qs.filter(
            Q(batch_code__icontains=search)
            | Q(container_code__icontains=search)
            | Q(source__batch_code__icontains=search)
            | Q(internal_name__icontains=search)
        )
    return qs.order_by("-occurred_at", "-id")


# --- what a batch still holds ---------------------------------------------------------------


def _taken_by_consumers(at: datetime | None = None) -> Coalesce:
    consumers = LedgerEvent.objects.filter(source=OuterRef("pk"))
    if at is not None:
        consumers = consumers.filter(occurred_at__lt=at)
    total = consumers.order_by().values("source").annotate(total=Sum("quantity_g"))
    return Coalesce(
        Subquery(total.values("total")[:1], output_field=IntegerField()),
        Value(0),
        output_field=IntegerField(),
    )


def with_remaining(qs: QuerySet[LedgerEvent]) -> QuerySet[LedgerEvent]:
    """Annotate `remaining_g`: quantity minus what later events took (exact, in SQL)."""
    return qs.annotate(remaining_g=F("quantity_g") - _taken_by_consumers())


def event_remaining_g(event: LedgerEvent) -> int:
    """Grams of `event` not yet taken by later events; 0 for treatment and hand-over, which
    end the waste's stay in this ledger."""
    if event.kind in TERMINAL_KINDS:
        return 0
    taken = event.consumers.aggregate(total=Sum("quantity_g"))["total"] or 0
    return event.quantity_g - taken


def source_candidates(*, organisation: Organisation, kind: str) -> QuerySet[LedgerEvent]:
    """Batches an event of `kind` may take from: allowed kinds, same unit, something left."""
    return (
        LedgerEvent.objects.filter(organisation=organisation, kind__in=SOURCE_KINDS[kind])
        .annotate(remaining_g=F("quantity_g") - _taken_by_consumers())
        .filter(remaining_g__gt=0)
        .select_related("waste_code", "facility")
        .order_by("-occurred_at", "-id")
    )


def container_current_event(container: Container) -> LedgerEvent | None:
    """The event that holds the container's waste now, or None once it was treated or handed
    over (or never recorded). Starts at the container's latest event and follows the batches
    that took all of it."""
    event = container.events.order_by("-occurred_at", "-id").first()
    seen: set[int] = set()
    while event is not None and event.pk not in seen:
        seen.add(event.pk)
        if event.kind in TERMINAL_KINDS:
            return None
        if event_remaining_g(event) > 0:
            return event
        event = event.consumers.order_by("-occurred_at", "-id").first()
    return None


# --- stock and mass balance -----------------------------------------------------------------


@dataclass(frozen=True)
class StockRow:
    facility: Facility
    waste_code: HazardousCode
    grams: int

    @property
    def tonnes(self) -> str:
        return tonnes_text(self.grams)

    @property
    def kilograms(self) -> Decimal:
        return Decimal(self.grams) / 1000


Key = tuple[int, int]  # (facility id, waste code id)


def _sums(qs: QuerySet[LedgerEvent], facility: str, waste_code: str) -> dict[Key, int]:
    rows = qs.order_by().values(facility, waste_code).annotate(total=Sum("quantity_g"))
    return {(r[facility], r[waste_code]): int(r["total"]) for r in rows}


def _stock_at(organisation: Organisation, at: datetime | None) -> dict[Key, int]:
    """Held minus taken per (facility, waste code), counting events strictly before `at`."""
    events = LedgerEvent.objects.filter(organisation=organisation)
    if at is not None:
        events = events.filter(occurred_at__lt=at)
    held = _sums(events.filter(kind__in=HOLDING_KINDS), "facility", "waste_code")
    taken = _sums(events.filter(source__isnull=False), "source__facility", "source__waste_code")
    return stock_from(held, taken)


def _resolve(keys: set[Key]) -> tuple[dict[int, Facility], dict[int, HazardousCode]]:
    facilities = Facility.objects.in_bulk({k[0] for k in keys})
    codes = HazardousCode.objects.select_related("category").in_bulk({k[1] for k in keys})
    return facilities, codes


def stock_by_facility(
    *, viewer: Viewer, organisation: Organisation, at: datetime | None = None
) -> list[StockRow]:
    """Stock per facility and waste code at `at` (now by default), derived from events: what
    generation sites hold before store-in, what stores hold, what was received and not yet
    treated, what was taken out of store and not yet treated or handed over."""
    organisation = _visible_organisation(viewer, organisation)
    stock = _stock_at(organisation, at)
    facilities, codes = _resolve(set(stock))
    rows = [StockRow(facilities[f], codes[w], grams) for (f, w), grams in stock.items()]
    rows.sort(key=lambda r: (r.facility.code, r.waste_code.code))
    return rows


@dataclass(frozen=True)
class MassBalance:
    start: datetime
    end: datetime
    rows: list[BalanceRow[tuple[Facility, HazardousCode]]]  # per facility and waste code
    totals: list[BalanceRow[HazardousCode]]  # the whole unit per waste code: moves cancel

    @property
    def closes(self) -> bool:
        return all(row.closes for row in self.rows)


def mass_balance(
    *, viewer: Viewer, organisation: Organisation, start: datetime, end: datetime
) -> MassBalance:
    """期初 + 产生 + 接收 (+ 转入) = 自行利用处置 + 委外 (+ 转出) + 期末 over [start, end).

    Every term is an SQL sum of integer grams; opening and closing are the stock derived at
    `start` and `end` from what each event still holds, independently of the flows.
    """
    organisation = _visible_organisation(viewer, organisation)
    period = LedgerEvent.objects.filter(
        organisation=organisation, occurred_at__gte=start, occurred_at__lt=end
    )
    moves = period.filter(source__isnull=False).exclude(facility=F("source__facility"))

    def by_kind(kind: str) -> dict[Key, int]:
        return _sums(period.filter(kind=kind), "facility", "waste_code")

    rows = balance_rows(
        opening=_stock_at(organisation, start),
        closing=_stock_at(organisation, end),
        generated=by_kind(EventKind.GENERATE),
        received=by_kind(EventKind.RECEIVE),
        treated=by_kind(EventKind.TREAT_IN_HOUSE),
        handed_over=by_kind(EventKind.HAND_OVER),
        moved_in=_sums(moves, "facility", "waste_code"),
        moved_out=_sums(moves, "source__facility", "source__waste_code"),
    )
    facilities, codes = _resolve({row.key for row in rows})
    resolved = [
        BalanceRow(
            key=(facilities[row.key[0]], codes[row.key[1]]),
            **{name: getattr(row, name) for name in _TERM_NAMES},
        )
        for row in rows
    ]
    resolved.sort(key=lambda r: (r.key[0].code, r.key[1].code))
    totals = balance_group(resolved, lambda key: key[1])
    totals.sort(key=lambda r: r.key.code)
    return MassBalance(start=start, end=end, rows=resolved, totals=totals)


_TERM_NAMES = (
    "opening",
    "generated",
    "received",
    "moved_in",
    "treated",
    "handed_over",
    "moved_out",
    "closing",
)


def ledger_reporting_year(*, today: date) -> int:
    """The year a yearly page opens on: this year once it has ledger events, else the latest
    year that has them (a district whose data stops earlier, like the seeded demo year)."""
    latest = (
        LedgerEvent.objects.filter(occurred_at__year__lte=today.year)
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    return timezone.localtime(latest).year if latest is not None else today.year
