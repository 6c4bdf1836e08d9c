"""Enforcement cases (执法案件): opened → investigating → decided → closed, each step audited.

Only a regulator of the organisation's region (or an administrator) acts on a case. The legal
basis is one of the checked articles in `rules.LEGAL_BASES`; a fine needs an amount, no other
outcome may carry one.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.accounts.viewer import Viewer
from wufei.core.audit import audit_append
from wufei.core.errors import Conflict, NotFound, ValidationFailed
from wufei.enforcement.models import CaseOutcome, CaseSource, CaseStatus, EnforcementCase, Finding
from wufei.enforcement.rules import LEGAL_BASES
from wufei.enforcement.selectors import can_regulate
from wufei.enforcement.services import actor_of
from wufei.registry.models import Organisation

# Which status each step starts from.
NEXT_STEP = {
    "investigate": (CaseStatus.OPENED, CaseStatus.INVESTIGATING),
    "decide": (CaseStatus.INVESTIGATING, CaseStatus.DECIDED),
    "close": (CaseStatus.DECIDED, CaseStatus.CLOSED),
}


def _regulator_check(viewer: Viewer, organisation: Organisation) -> None:
    if actor_of(viewer) is None or not can_regulate(viewer, organisation):
        raise NotFound(_("No such organisation is visible to you."), field="organisation")


def _audit(viewer: Viewer, case: EnforcementCase, action: str, payload: dict[str, object]) -> None:
    audit_append(
        actor=actor_of(viewer),
        organisation=case.organisation,
        action=f"enforcement.case.{action}",
        subject_type="enforcement_case",
        subject_id=str(case.pk),
        payload={"status": case.status, **payload},
    )


def case_open(
    *,
    viewer: Viewer,
    organisation: Organisation,
    source: str,
    legal_basis: str,
    summary: str = "",
    finding: Finding | None = None,
    alert_id: int | None = None,
    report: str = "",
    opened_on: date | None = None,
) -> EnforcementCase:
    _regulator_check(viewer, organisation)
    if legal_basis not in LEGAL_BASES:
        raise ValidationFailed(_("Choose a legal basis from the list."), field="legal_basis")
    if source == CaseSource.FINDING:
        if finding is None or finding.inspection.organisation_id != organisation.pk:
            raise ValidationFailed(_("Name a finding of this unit."), field="finding")
    elif source == CaseSource.WARNING:
        if alert_id is None:
            raise ValidationFailed(_("Name the warning."), field="alert_id")
    elif source == CaseSource.REPORT:
        if not report.strip():
            raise ValidationFailed(_("Describe the report."), field="report")
    else:
        raise ValidationFailed(_("Unknown source."), field="source")
    with transaction.atomic():
        case = EnforcementCase.objects.create(
            organisation=organisation,
            opened_on=opened_on or timezone.localdate(),
            opened_by=actor_of(viewer),
            source=source,
            source_finding=finding if source == CaseSource.FINDING else None,
            source_alert_id=alert_id if source == CaseSource.WARNING else None,
            source_report=report.strip() if source == CaseSource.REPORT else "",
            legal_basis=legal_basis,
            summary=summary.strip(),
        )
        _audit(viewer, case, "opened", {"source": source, "legal_basis": legal_basis})
    return case


def _step(viewer: Viewer, case: EnforcementCase, step: str) -> EnforcementCase:
    _regulator_check(viewer, case.organisation)
    locked = (
        EnforcementCase.objects.select_for_update().select_related("organisation").get(pk=case.pk)
    )
    before, after = NEXT_STEP[step]
    if locked.status != before:
        raise Conflict(
            _("This step is not possible while the case is %(status)s.")
            % {"status": locked.get_status_display()},
            field="status",
        )
    locked.status = after
    return locked


def case_investigate(*, viewer: Viewer, case: EnforcementCase) -> EnforcementCase:
    with transaction.atomic():
        locked = _step(viewer, case, "investigate")
        locked.save(update_fields=["status"])
        _audit(viewer, locked, "investigating", {})
    return locked


def case_decide(
    *,
    viewer: Viewer,
    case: EnforcementCase,
    outcome: str,
    fine_yuan: Decimal | None = None,
    decided_on: date | None = None,
) -> EnforcementCase:
    if outcome not in CaseOutcome.values:
        raise ValidationFailed(_("Unknown outcome."), field="outcome")
    if outcome == CaseOutcome.FINE:
        if fine_yuan is None or fine_yuan <= 0:
            raise ValidationFailed(_("A fine needs an amount."), field="fine_yuan")
    elif fine_yuan is not None:
        raise ValidationFailed(_("Only a fine carries an amount."), field="fine_yuan")
    with transaction.atomic():
        locked = _step(viewer, case, "decide")
        day = decided_on or timezone.localdate()
        if day < locked.opened_on:
            raise ValidationFailed(_("A case cannot be decided before it was opened."))
        locked.outcome, locked.fine_yuan, locked.decided_on = outcome, fine_yuan, day
        locked.save(update_fields=["status", "outcome", "fine_yuan", "decided_on"])
        _audit(
            viewer,
            locked,
            "decided",
            {"outcome": outcome, "fine_yuan": str(fine_yuan) if fine_yuan else None},
        )
    return locked


def case_close(
    *, viewer: Viewer, case: EnforcementCase, closed_on: date | None = None
) -> EnforcementCase:
    with transaction.atomic():
        locked = _step(viewer, case, "close")
        locked.closed_on = closed_on or timezone.localdate()
        if locked.decided_on and locked.closed_on < locked.decided_on:
            raise ValidationFailed(_("A case cannot be closed before it was decided."))
        locked.save(update_fields=["status", "closed_on"])
        _audit(viewer, locked, "closed", {})
    return locked
