"""Demo filings: most producers of the demo year filed their declarations and plan on time, a
few late, a few not at all — so the missing-filing and plan warnings have something to show.

Plain bulk writes (like the demo year's other writers), in a fixed number of queries; contents
carry the period's generated grams per code from one grouped read of the ledger.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from wufei.domain.filing_periods import period_label
from wufei.domain.supervision_tier import Filing, FilingKind, filings_due_in
from wufei.ledger.filing_models import FilingSubmission, ManagementPlan, ManagementPlanLine
from wufei.ledger.models import EventKind, LedgerEvent
from wufei.ledger.supervision import supervision_tiers
from wufei.registry.models import Organisation

ON_TIME, LATE = 0.90, 0.05  # the rest is never filed
UNDER_PLANNED = 0.05  # plans below what the unit then generates


def _at(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59))))


def _month(value: datetime | date) -> date:
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return date(value.year, value.month, 1)


def filings_demo_seed(*, rng: random.Random, year: int) -> int:
    """Filings due in `year` and the `year` management plans of the producers that generated
    waste in it; returns how many filings were written."""
    start = timezone.make_aware(datetime(year - 1, 1, 1))
    end = timezone.make_aware(datetime(year + 1, 1, 1))
    generated: dict[int, dict[date, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    codes: dict[int, str] = {}
    for row in (
        LedgerEvent.objects.filter(
            kind=EventKind.GENERATE, occurred_at__gte=start, occurred_at__lt=end
        )
        .annotate(month=TruncMonth("occurred_at"))
        .order_by()
        .values("organisation_id", "month", "waste_code_id", "waste_code__code")
        .annotate(grams=Sum("quantity_g"))
    ):
        per_code = generated[row["organisation_id"]][_month(row["month"])]
        per_code[row["waste_code_id"]] = per_code.get(row["waste_code_id"], 0) + int(row["grams"])
        codes[row["waste_code_id"]] = row["waste_code__code"]
    producers = list(
        Organisation.objects.filter(pk__in=list(generated), is_producer=True).order_by("pk")
    )
    units = supervision_tiers(producers, date(year, 12, 31))

    def totals(org_id: int, filing: Filing) -> dict[str, object]:
        by_code: dict[int, int] = defaultdict(int)
        for month, per_code in generated[org_id].items():
            if filing.period_start <= month <= filing.period_end:
                for code_id, grams in per_code.items():
                    by_code[code_id] += grams
        return {
            "period_start": filing.period_start.isoformat(),
            "period_end": filing.period_end.isoformat(),
            "clause": filing.clause,
            "seeded": True,
            "codes": [
                {"waste_code": codes[c], "generated_g": g} for c, g in sorted(by_code.items())
            ],
        }

    filings: list[FilingSubmission] = []
    plans: list[tuple[ManagementPlan, dict[int, int]]] = []
    for unit in units:
        org_id = unit.organisation.pk
        for filing in filings_due_in(unit.tier, year):
            draw = rng.random()
            if draw >= ON_TIME + LATE:
                continue
            day = filing.due - timedelta(days=rng.randint(0, 10))
            if draw >= ON_TIME:
                day = filing.due + timedelta(days=rng.randint(1, 40))
            at = _at(day, rng)
            if filing.kind == FilingKind.MANAGEMENT_PLAN:
                yearly: dict[int, int] = defaultdict(int)
                for month, per_code in generated[org_id].items():
                    if month.year == year:
                        for code_id, grams in per_code.items():
                            yearly[code_id] += grams
                if not yearly:
                    continue
                factor = 0.7 if rng.random() < UNDER_PLANNED else rng.uniform(1.05, 1.4)
                planned = {c: max(1000, round(g * factor / 1000) * 1000) for c, g in yearly.items()}
                plans.append(
                    (
                        ManagementPlan(organisation_id=org_id, year=year, submitted_at=at),
                        planned,
                    )
                )
                content: dict[str, object] = {
                    "year": year,
                    "seeded": True,
                    "lines": [
                        {"waste_code": codes[c], "planned_g": g} for c, g in sorted(planned.items())
                    ],
                }
            else:
                content = totals(org_id, filing)
            filings.append(
                FilingSubmission(
                    organisation_id=org_id,
                    kind=filing.kind,
                    period=period_label(filing),
                    due_on=filing.due,
                    submitted_at=at,
                    content=content,
                )
            )
    ManagementPlan.objects.bulk_create([plan for plan, _lines in plans])
    ManagementPlanLine.objects.bulk_create(
        ManagementPlanLine(plan=plan, waste_code_id=code_id, planned_g=grams)
        for plan, lines in plans
        for code_id, grams in sorted(lines.items())
    )
    FilingSubmission.objects.bulk_create(filings, batch_size=1000)
    return len(filings)
