"""What the risk grade and the credit rating are computed from, gathered from the database.

Warnings are read from `wufei.alerts` (the alerts engine); until that model is installed the
enterprise simply has none. Storage warnings are the alerts whose rule code starts with one of
STORAGE_RULE_PREFIXES (the stock rules `storage_overdue`, `storage_over_capacity`).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time
from typing import Any

from django.apps import apps
from django.db.models import Sum
from django.utils import timezone

from wufei.domain.credit_rating import CaseFact, FindingFact, WarningFact
from wufei.domain.risk_grade import RiskInputs
from wufei.enforcement.models import CaseOutcome, EnforcementCase, Finding
from wufei.ledger.models import EventKind, LedgerEvent
from wufei.registry.models import Organisation

STORAGE_RULE_PREFIXES = ("stock", "storage")
HISTORY_YEARS = 3  # the risk grade looks at the year and the two before
PENALISED = (CaseOutcome.FINE, CaseOutcome.SUSPENSION)


def _start(year: int) -> datetime:
    return timezone.make_aware(datetime.combine(date(year, 1, 1), time()))


def year_end_or_today(year: int) -> date:
    """Where a year's rating is evaluated: its last day, or today while it runs."""
    return min(date(year, 12, 31), timezone.localdate())


def _alerts(organisation_ids: list[int], first_year: int, last_year: int) -> list[Any]:
    try:
        alert_model = apps.get_model("alerts", "Alert")
    except LookupError:
        return []
    return list(
        alert_model.objects.filter(
            organisation_id__in=organisation_ids,
            raised_at__gte=_start(first_year),
            raised_at__lt=_start(last_year + 1),
        ).only("pk", "organisation_id", "rule", "severity", "raised_at", "closed_at")
    )


def _is_storage(rule: str) -> bool:
    return rule.startswith(STORAGE_RULE_PREFIXES)


def risk_inputs_bulk(*, organisation_ids: list[int], year: int) -> dict[int, RiskInputs]:
    """Risk inputs of many organisations in a handful of grouped queries (grids, overviews)."""
    first = year - HISTORY_YEARS + 1
    ids = list(organisation_ids)
    generated = LedgerEvent.objects.filter(
        organisation_id__in=ids,
        kind=EventKind.GENERATE,
        occurred_at__gte=_start(year),
        occurred_at__lt=_start(year + 1),
    ).order_by()
    categories: dict[int, set[str]] = {}
    for org_id, cat in generated.values_list(
        "organisation_id", "waste_code__category__code"
    ).distinct():
        categories.setdefault(org_id, set()).add(cat)
    annual = dict(
        generated.values("organisation_id")
        .annotate(g=Sum("quantity_g"))
        .values_list("organisation_id", "g")
    )
    storage: Counter[int] = Counter()
    other: Counter[int] = Counter()
    for alert in _alerts(ids, first, year):
        if not _is_storage(alert.rule):
            other[alert.organisation_id] += 1
        elif timezone.localtime(alert.raised_at).year == year:
            storage[alert.organisation_id] += 1
    findings: dict[int, Counter[str]] = {}
    for org_id, severity in Finding.objects.filter(
        inspection__organisation_id__in=ids,
        inspection__visited_at__gte=_start(first),
        inspection__visited_at__lt=_start(year + 1),
    ).values_list("inspection__organisation_id", "severity"):
        findings.setdefault(org_id, Counter())[severity] += 1
    cases: Counter[int] = Counter()
    penalised: Counter[int] = Counter()
    for org_id, outcome in EnforcementCase.objects.filter(
        organisation_id__in=ids, opened_on__year__gte=first, opened_on__year__lte=year
    ).values_list("organisation_id", "outcome"):
        cases[org_id] += 1
        penalised[org_id] += outcome in PENALISED
    return {
        i: RiskInputs(
            categories=frozenset(categories.get(i, set())),
            annual_g=int(annual.get(i) or 0),
            storage_warnings=storage[i],
            other_warnings=other[i],
            findings=dict(findings.get(i, {})),
            cases=cases[i],
            cases_penalised=penalised[i],
        )
        for i in ids
    }


def credit_facts(
    *, organisation: Organisation, year: int
) -> tuple[list[WarningFact], list[FindingFact], list[CaseFact]]:
    warnings = [
        WarningFact(
            a.pk,
            a.severity,
            timezone.localtime(a.raised_at).date(),
            timezone.localtime(a.closed_at).date() if a.closed_at else None,
        )
        for a in _alerts([organisation.pk], year, year)
    ]
    findings = [
        FindingFact(
            f.pk,
            f.severity,
            f.rectification_due,
            timezone.localtime(f.rectified_at).date() if f.rectified_at else None,
        )
        for f in Finding.objects.filter(
            inspection__organisation=organisation,
            inspection__visited_at__gte=_start(year),
            inspection__visited_at__lt=_start(year + 1),
        )
    ]
    cases = [
        CaseFact(c.pk, c.outcome, c.decided_on)
        for c in EnforcementCase.objects.filter(
            organisation=organisation, decided_on__year=year
        ).exclude(outcome="")
        if c.decided_on is not None
    ]
    return warnings, findings, cases
