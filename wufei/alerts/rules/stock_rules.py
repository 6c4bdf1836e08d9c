"""Warnings about what a unit holds and generates: batches stored too long, stores filled
beyond their declared capacity, and a month's generation out of line with the unit's history
or its management plan.

Stock is derived from the ledger as everywhere else (`wufei.ledger.selectors`); each rule reads
in a fixed number of grouped queries and leaves the arithmetic to `wufei.domain.alert_stock`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urlencode

from django.db.models import Min, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wufei.alerts.rulebook import Evidence, Finding, Rule, register
from wufei.alerts.rules.transfer_evidence import int_threshold, organisation_evidence
from wufei.domain import alert_stock as calc
from wufei.domain.ledger_units import tonnes_text
from wufei.ledger.filing_models import ManagementPlan
from wufei.ledger.models import EventKind, LedgerEvent
from wufei.ledger.selectors import HOLDING_KINDS, with_remaining
from wufei.registry.models import Facility, Organisation

EVIDENCE_EVENTS = 10
# Batches in store: store-in (B.2) at a producer; receipt at a collector, utilisation or
# disposal unit (the operating units the article names). Age counts from that event.
STORED_KINDS = (EventKind.STORE_IN, EventKind.RECEIVE)  # the oldest batches linked from one alert


def _scoped(
    qs: QuerySet[Any], field: str, organisation_ids: frozenset[int] | None
) -> QuerySet[Any]:
    return qs if organisation_ids is None else qs.filter(**{f"{field}__in": organisation_ids})


def event_evidence(uscc: str, batch_code: str, pk: int) -> Evidence:
    """Ledger events have no page of their own: link the unit's ledger searched by batch code."""
    url = f"{reverse('ledger:home', kwargs={'uscc': uscc})}?{urlencode({'q': batch_code})}"
    return Evidence(kind="ledger_event", id=str(pk), label=batch_code, url=url)


def facility_evidence(facility: Facility, uscc: str) -> Evidence:
    """A facility is shown on its unit's stock page."""
    return Evidence(
        kind="facility",
        id=str(facility.pk),
        label=f"{facility.code} {facility.name}",
        url=reverse("ledger:stock", kwargs={"uscc": uscc}),
    )


@register
class StorageOverdue(Rule):
    """固废法 第八十一条第三款: hazardous waste is not stored longer than one year unless the
    licensing authority approves. The article binds operating units (收集、贮存、利用、处置经营
    单位); the platform holds every holder to the same year and says which it is."""

    code = "storage_overdue"
    title = _("Hazardous waste stored too long")
    source = "《固体废物污染环境防治法》第八十一条第三款"
    defaults: ClassVar[Mapping[str, int | str]] = {"limit_days": 365, "warn_days": 330}
    triggers = frozenset({"ledger.recorded"})

    def find(
        self,
        *,
        now: datetime,
        thresholds: Mapping[str, int | str],
        organisation_ids: frozenset[int] | None,
    ) -> Iterable[Finding]:
        limit = int_threshold(thresholds, self.defaults, "limit_days")
        warn = min(int_threshold(thresholds, self.defaults, "warn_days"), limit)
        today = timezone.localdate(now)
        # a batch stored on day D is `warn` days old from D + warn on
        latest = timezone.make_aware(
            datetime.combine(today - timedelta(days=warn - 1), datetime.min.time())
        )
        batches = (
            with_remaining(
                _scoped(LedgerEvent.objects.all(), "organisation_id", organisation_ids).filter(
                    kind__in=STORED_KINDS, occurred_at__lt=latest
                )
            )
            .filter(remaining_g__gt=0)  # type: ignore[misc]
            .select_related("organisation", "facility")
            .order_by("facility_id", "occurred_at", "id")
        )
        by_facility: dict[int, list[LedgerEvent]] = defaultdict(list)
        for event in batches:
            by_facility[event.facility_id].append(event)
        for events in by_facility.values():
            first = events[0]
            levels = []
            for event in events:
                days = (today - timezone.localdate(event.occurred_at)).days
                levels.append(
                    calc.storage_age_level(days_held=days, warn_days=warn, limit_days=limit)
                )
            judged = [(e, lv) for e, lv in zip(events, levels, strict=True) if lv is not None]
            if not judged:
                continue
            org = first.organisation
            held_g = sum(int(getattr(e, "remaining_g")) for e, _level in judged)  # noqa: B009
            oldest_days = (today - timezone.localdate(judged[0][0].occurred_at)).days
            over = [e for e, lv in judged if lv == calc.Level.HIGH]
            yield Finding(
                key=f"facility:{first.facility_id}",
                organisation_id=org.pk,
                region_code=first.facility.region_id,
                facility_id=first.facility_id,
                severity=calc.Level.HIGH if over else calc.Level.MEDIUM,
                facts={
                    "facility": f"{first.facility.code} {first.facility.name}",
                    "organisation": org.name,
                    "batches": len(judged),
                    "over_limit": len(over),
                    "oldest": timezone.localdate(judged[0][0].occurred_at).isoformat(),
                    "days": oldest_days,
                    "limit_days": limit,
                    "tonnes": tonnes_text(held_g),
                    "operating_unit": int(org.is_collector or org.is_treatment),
                },
                evidence=(
                    facility_evidence(first.facility, org.uscc),
                    *(
                        event_evidence(org.uscc, e.batch_code, e.pk)
                        for e, _lv in judged[:EVIDENCE_EVENTS]
                    ),
                ),
            )

    def describe(self, facts: Mapping[str, str | int]) -> str:
        return (
            gettext(
                "%(batches)s batch(es) at %(facility)s (%(tonnes)s t) have been in store since "
                "%(oldest)s, %(days)s days; the limit is %(limit_days)s days."
            )
            % facts
        )


def facility_stock_g(
    facility_ids: Iterable[int] | None, organisation_ids: frozenset[int] | None
) -> dict[int, int]:
    """Current stock per facility (all codes): held by holding events minus what was taken."""
    events = _scoped(LedgerEvent.objects.all(), "organisation_id", organisation_ids)
    if facility_ids is not None:
        events = events.filter(facility_id__in=list(facility_ids))
    held = (
        events.filter(kind__in=HOLDING_KINDS)
        .order_by()
        .values("facility_id")
        .annotate(total=Sum("quantity_g"))
    )
    taken_events = _scoped(
        LedgerEvent.objects.all(), "source__organisation_id", organisation_ids
    ).filter(source__isnull=False)
    if facility_ids is not None:
        taken_events = taken_events.filter(source__facility_id__in=list(facility_ids))
    taken = taken_events.order_by().values("source__facility_id").annotate(total=Sum("quantity_g"))
    stock: dict[int, int] = defaultdict(int)
    for row in held:
        stock[row["facility_id"]] += int(row["total"])
    for row in taken:
        stock[row["source__facility_id"]] -= int(row["total"])
    return dict(stock)


@register
class StorageOverCapacity(Rule):
    """A store holds no more than the storage capacity declared for the facility (设施申报的贮存
    能力, recorded in the registry); the standard for stores, GB 18597, is not in the references."""

    code = "storage_over_capacity"
    title = _("Store filled beyond its capacity")
    source = "设施申报的贮存能力（GB 18597 未收入参考文本）"
    defaults: ClassVar[Mapping[str, int | str]] = {"warn_percent": 90, "limit_percent": 100}
    triggers = frozenset({"ledger.recorded", "registry.changed"})

    def find(
        self,
        *,
        now: datetime,
        thresholds: Mapping[str, int | str],
        organisation_ids: frozenset[int] | None,
    ) -> Iterable[Finding]:
        warn = int_threshold(thresholds, self.defaults, "warn_percent")
        limit = int_threshold(thresholds, self.defaults, "limit_percent")
        facilities = {
            f.pk: f
            for f in _scoped(Facility.objects.all(), "organisation_id", organisation_ids)
            .filter(storage_capacity_t__isnull=False, storage_capacity_t__gt=0)
            .select_related("organisation")
        }
        if not facilities:
            return
        stock = facility_stock_g(None, organisation_ids)
        for pk, facility in facilities.items():
            grams = stock.get(pk, 0)
            capacity_g = calc.capacity_grams(facility.storage_capacity_t)
            level = calc.capacity_level(
                stock_g=grams, capacity_g=capacity_g, warn_percent=warn, limit_percent=limit
            )
            if level is None:
                continue
            org = facility.organisation
            yield Finding(
                key=f"facility:{pk}",
                organisation_id=org.pk,
                region_code=facility.region_id,
                facility_id=pk,
                severity=level,
                facts={
                    "facility": f"{facility.code} {facility.name}",
                    "organisation": org.name,
                    "stock_t": tonnes_text(grams),
                    "capacity_t": tonnes_text(capacity_g),
                    "percent": calc.fill_percent(stock_g=grams, capacity_g=capacity_g),
                },
                evidence=(facility_evidence(facility, org.uscc),),
            )

    def describe(self, facts: Mapping[str, str | int]) -> str:
        return (
            gettext(
                "%(facility)s holds %(stock_t)s t, %(percent)s%% of its declared capacity of "
                "%(capacity_t)s t."
            )
            % facts
        )


def _month_key(value: date | datetime) -> date:
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return date(value.year, value.month, 1)
    return value.replace(day=1)


@register
class GenerationAnomaly(Rule):
    """固废法 第七十八条: a producer plans (管理计划), records (台账) and declares the kinds and
    quantities it generates. A month far from the unit's own history, or generation beyond its
    plan pro rata, means the plan, the ledger or the process needs a look."""

    code = "generation_anomaly"
    title = _("Generation out of line with history or plan")
    source = "《固体废物污染环境防治法》第七十八条"
    defaults: ClassVar[Mapping[str, int | str]] = {
        "factor": 3,
        "floor_kg": 100,
        "min_months": 6,
        "plan_margin_percent": 0,
    }
    triggers = frozenset({"ledger.recorded", "filing.changed"})

    def find(
        self,
        *,
        now: datetime,
        thresholds: Mapping[str, int | str],
        organisation_ids: frozenset[int] | None,
    ) -> Iterable[Finding]:
        factor = int_threshold(thresholds, self.defaults, "factor")
        floor_g = int_threshold(thresholds, self.defaults, "floor_kg") * 1000
        min_months = int_threshold(thresholds, self.defaults, "min_months")
        margin = int_threshold(thresholds, self.defaults, "plan_margin_percent")
        judged = calc.months_back(calc.month_start(timezone.localdate(now)), 1)
        window_start = calc.months_back(judged, 12)
        end = timezone.make_aware(
            datetime.combine(calc.months_back(judged, -1), datetime.min.time())
        )
        start = timezone.make_aware(datetime.combine(window_start, datetime.min.time()))
        events = _scoped(LedgerEvent.objects.all(), "organisation_id", organisation_ids)
        monthly: dict[int, dict[date, int]] = defaultdict(dict)
        for row in (
            events.filter(kind=EventKind.GENERATE, occurred_at__gte=start, occurred_at__lt=end)
            .annotate(month=TruncMonth("occurred_at"))
            .order_by()
            .values("organisation_id", "month")
            .annotate(grams=Sum("quantity_g"))
        ):
            month = _month_key(row["month"])
            monthly[row["organisation_id"]][month] = monthly[row["organisation_id"]].get(
                month, 0
            ) + int(row["grams"])
        if not monthly:
            return
        first = dict(
            events.filter(organisation_id__in=list(monthly))
            .order_by()
            .values("organisation_id")
            .annotate(first=Min("occurred_at"))
            .values_list("organisation_id", "first")
        )
        plans = dict(
            ManagementPlan.objects.filter(organisation_id__in=list(monthly), year=judged.year)
            .annotate(total=Sum("lines__planned_g"))
            .values_list("organisation_id", "total")
        )
        orgs = Organisation.objects.in_bulk(list(monthly))
        for org_id, months in monthly.items():
            org = orgs[org_id]
            current = months.get(judged, 0)
            label = f"{judged.year}-{judged.month:02d}"
            active = calc.history_months(
                judged_month=judged, first_activity=timezone.localdate(first[org_id])
            )
            anomaly = calc.generation_anomaly(
                history_g=[months.get(m, 0) for m in active],
                current_g=current,
                factor=factor,
                floor_g=floor_g,
                min_months=min_months,
            )
            evidence = (organisation_evidence(org.uscc, org.name),)
            if anomaly is not None:
                yield Finding(
                    key=f"organisation:{org_id}:{label}",
                    organisation_id=org_id,
                    region_code=org.region_id,
                    severity=calc.Level.MEDIUM,
                    facts={
                        "kind": "history",
                        "organisation": org.name,
                        "month": label,
                        "direction": str(anomaly.direction),
                        "generated_t": tonnes_text(anomaly.current_g),
                        "median_t": tonnes_text(anomaly.median_g),
                        "months": anomaly.months,
                        "factor": factor,
                    },
                    evidence=evidence,
                )
            planned = plans.get(org_id)
            if planned:
                year_to_date = sum(g for m, g in months.items() if m.year == judged.year)
                excess = calc.plan_excess(
                    year_to_date_g=year_to_date,
                    planned_annual_g=int(planned),
                    months_elapsed=judged.month,
                    margin_percent=margin,
                )
                if excess is not None:
                    yield Finding(
                        key=f"organisation:{org_id}:plan:{judged.year}",
                        organisation_id=org_id,
                        region_code=org.region_id,
                        severity=(
                            calc.Level.HIGH
                            if excess.generated_g > excess.planned_g
                            else calc.Level.MEDIUM
                        ),
                        facts={
                            "kind": "plan",
                            "organisation": org.name,
                            "month": label,
                            "generated_t": tonnes_text(excess.generated_g),
                            "allowed_t": tonnes_text(excess.allowed_g),
                            "planned_t": tonnes_text(excess.planned_g),
                            "year": judged.year,
                        },
                        evidence=evidence,
                    )

    def describe(self, facts: Mapping[str, str | int]) -> str:
        if facts.get("kind") == "plan":
            return (
                gettext(
                    "%(organisation)s generated %(generated_t)s t up to %(month)s, more than "
                    "the %(allowed_t)s t its %(year)s management plan (%(planned_t)s t a year) "
                    "allows pro rata."
                )
                % facts
            )
        if facts.get("direction") == calc.Direction.ABOVE:
            return (
                gettext(
                    "%(organisation)s generated %(generated_t)s t in %(month)s, more than "
                    "%(factor)s times its median of %(median_t)s t over %(months)s months."
                )
                % facts
            )
        return (
            gettext(
                "%(organisation)s generated %(generated_t)s t in %(month)s, less than a "
                "%(factor)sth of its median of %(median_t)s t over %(months)s months."
            )
            % facts
        )
