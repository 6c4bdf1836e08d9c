"""Submitting filings: the periodic declarations of HJ 1259-2022 7.2 and the yearly management
plan of 5.2 (固废法 第七十八条: plan, ledger, declaration).

A declaration's content is computed from the ledger (the period's mass balance per waste code),
never typed; a filing is submitted once per period and audited in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.accounts.models import User
from wufei.accounts.viewer import Viewer
from wufei.alerts.triggers import alerts_event_later
from wufei.catalog.models import HazardousCode
from wufei.core.audit import audit_append
from wufei.core.errors import Conflict, NotPermitted, ValidationFailed
from wufei.domain.filing_periods import filing_for
from wufei.domain.supervision_tier import Filing, FilingKind
from wufei.ledger.filing_models import FilingSubmission, ManagementPlan, ManagementPlanLine
from wufei.ledger.selectors import ledger_organisation_get, mass_balance
from wufei.registry.models import Organisation

DECLARATION_KINDS = (FilingKind.MONTHLY, FilingKind.QUARTERLY, FilingKind.ANNUAL)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))


def _acting_on(viewer: Viewer, organisation: Organisation) -> Organisation:
    """The organisation, if visible (else NotFound) and the viewer may act for it."""
    org = ledger_organisation_get(viewer=viewer, uscc=organisation.uscc)
    if not viewer.can_act_for(org.pk):
        raise NotPermitted(
            _("You may not file for %(org)s.") % {"org": org.name}, code="not_member"
        )
    return org


def _declaration(kind: str, period: str) -> Filing:
    if kind not in DECLARATION_KINDS:
        raise ValidationFailed(
            _("Unknown kind of declaration: %(kind)s.") % {"kind": kind},
            code="bad_kind",
            field="kind",
        )
    try:
        return filing_for(FilingKind(kind), period.strip())
    except ValueError:
        raise ValidationFailed(
            _("%(period)s is not a period of this declaration.") % {"period": period},
            code="bad_period",
            field="period",
        ) from None


def _totals(viewer: Viewer, organisation: Organisation, filing: Filing) -> dict[str, Any]:
    """The period's balance per waste code (grams), as declared (HJ 1259 appendix C)."""
    balance = mass_balance(
        viewer=viewer,
        organisation=organisation,
        start=_start_of(filing.period_start),
        end=_start_of(filing.period_end + timedelta(days=1)),
    )
    return {
        "period_start": filing.period_start.isoformat(),
        "period_end": filing.period_end.isoformat(),
        "clause": filing.clause,
        "codes": [
            {
                "waste_code": row.key.code,
                "opening_g": row.opening,
                "generated_g": row.generated,
                "received_g": row.received,
                "treated_g": row.treated,
                "handed_over_g": row.handed_over,
                "closing_g": row.closing,
            }
            for row in balance.totals
        ],
    }


def _store(
    *,
    actor: User,
    organisation: Organisation,
    filing: Filing,
    period: str,
    at: datetime,
    content: dict[str, Any],
) -> FilingSubmission:
    if FilingSubmission.objects.filter(
        organisation=organisation, kind=filing.kind, period=period
    ).exists():
        raise Conflict(
            _("The %(period)s filing was already submitted.") % {"period": period},
            code="already_filed",
        )
    try:
        with transaction.atomic():
            submission = FilingSubmission.objects.create(
                organisation=organisation,
                kind=filing.kind,
                period=period,
                due_on=filing.due,
                submitted_at=at,
                submitted_by=actor,
                content=content,
            )
    except IntegrityError:
        raise Conflict(
            _("The %(period)s filing was already submitted.") % {"period": period},
            code="already_filed",
        ) from None
    audit_append(
        actor=actor,
        organisation=organisation,
        action="ledger.filing_submit",
        subject_type="filing",
        subject_id=str(submission.pk),
        payload={"kind": str(filing.kind), "period": period, "due_on": filing.due.isoformat()},
        occurred_at=at,
    )
    # the missing-filing and generation warnings re-read the unit's filings after commit
    alerts_event_later(kind="filing.changed", organisation_ids=[organisation.pk])
    return submission


def filing_submit(
    *,
    viewer: Viewer,
    actor: User,
    organisation: Organisation,
    kind: str,
    period: str,
    now: datetime | None = None,
) -> FilingSubmission:
    """Submit the monthly, quarterly or annual declaration of a complete period.

    Refuses periods not yet over and a second submission for the same period."""
    org = _acting_on(viewer, organisation)
    filing = _declaration(kind, period)
    at = now or timezone.now()
    if timezone.localdate(at) <= filing.period_end:
        raise ValidationFailed(
            _("The period %(period)s is not over yet.") % {"period": period},
            code="future_period",
            field="period",
        )
    label = period.strip()
    with transaction.atomic():
        return _store(
            actor=actor,
            organisation=org,
            filing=filing,
            period=label,
            at=at,
            content=_totals(viewer, org, filing),
        )


@dataclass(frozen=True)
class PlanLineInput:
    waste_code: HazardousCode
    planned_g: int


def management_plan_submit(
    *,
    viewer: Viewer,
    actor: User,
    organisation: Organisation,
    year: int,
    lines: Sequence[PlanLineInput],
    now: datetime | None = None,
) -> ManagementPlan:
    """File the year's management plan (备案, HJ 1259 5.2.2): planned grams per waste code.

    Also records the calendar's filing of kind management_plan, so the filing warning sees it.
    Refuses plans more than a year ahead, empty plans, repeated codes and a second plan."""
    org = _acting_on(viewer, organisation)
    at = now or timezone.now()
    if year > timezone.localdate(at).year + 1:
        raise ValidationFailed(
            _("A plan may be filed for this year or the next."), code="future_period", field="year"
        )
    if not lines:
        raise ValidationFailed(_("A plan needs at least one line."), code="empty", field="lines")
    codes = [line.waste_code.pk for line in lines]
    if len(set(codes)) != len(codes):
        raise ValidationFailed(
            _("Each waste code appears once in a plan."), code="duplicate_code", field="lines"
        )
    if any(line.planned_g <= 0 for line in lines):
        raise ValidationFailed(
            _("Planned quantities must be positive."), code="not_positive", field="lines"
        )
    filing = filing_for(FilingKind.MANAGEMENT_PLAN, str(year))
    with transaction.atomic():
        if ManagementPlan.objects.filter(organisation=org, year=year).exists():
            raise Conflict(
                _("The %(period)s filing was already submitted.") % {"period": year},
                code="already_filed",
            )
        plan = ManagementPlan.objects.create(
            organisation=org, year=year, submitted_at=at, submitted_by=actor
        )
        ManagementPlanLine.objects.bulk_create(
            ManagementPlanLine(plan=plan, waste_code=line.waste_code, planned_g=line.planned_g)
            for line in lines
        )
        _store(
            actor=actor,
            organisation=org,
            filing=filing,
            period=str(year),
            at=at,
            content={
                "year": year,
                "lines": [
                    {"waste_code": line.waste_code.code, "planned_g": line.planned_g}
                    for line in lines
                ],
            },
        )
    return plan
