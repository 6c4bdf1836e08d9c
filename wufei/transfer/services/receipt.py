"""The receiver's part: weigh and check what arrived, decide, and record the treatment.

第十八条: the receiver verifies the waste and confirms within five working days of arrival; a
difference in name, quantity, characteristics, form or packaging is recorded (a `Discrepancy`)
and flagged. A receipt after the deadline is still accepted — the waste is there — but it is
recorded as late. 第十二条: the receiver records the utilisation/disposal method and quantity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.accounts.models import User
from wufei.accounts.viewer import Viewer
from wufei.catalog.models import TreatmentMethod
from wufei.core.errors import ValidationFailed
from wufei.domain.manifest_flow import Action
from wufei.domain.manifest_receipt import (
    Decision,
    DecisionInconsistent,
    Finding,
    LineFacts,
    decision_check,
    line_findings,
)
from wufei.transfer.articles import article
from wufei.transfer.content import lines_of
from wufei.transfer.ledger_link import receipt_record
from wufei.transfer.models import Discrepancy, Manifest, ManifestLine
from wufei.transfer.steps import step_begin, step_sign, user_display

DECISION_ACTIONS = {
    Decision.ACCEPT: Action.ACCEPT,
    Decision.PARTIAL: Action.ACCEPT_PARTIALLY,
    Decision.REFUSE: Action.REFUSE,
}
MAX_GRAMS = 10**12


@dataclass(frozen=True)
class ReceiptLine:
    """What the receiver found for one line; blank observations mean "as declared"."""

    position: int
    received_weight_g: int
    accepted_weight_g: int | None = None  # None: everything (accept) or nothing (refuse)
    observed_name: str = ""
    observed_characteristics: str = ""
    observed_form: str = ""
    observed_packaging: str = ""
    note: str = ""


@dataclass(frozen=True)
class TreatmentLine:
    position: int
    treatment_method: TreatmentMethod
    treated_weight_g: int


def _by_position(
    lines: Sequence[ManifestLine], given: Sequence[ReceiptLine] | Sequence[TreatmentLine]
) -> dict[int, ManifestLine]:
    positions = [g.position for g in given]
    if len(set(positions)) != len(positions):
        raise ValidationFailed(_("A line is given twice."), code="line_twice", field="lines")
    known = {line.position: line for line in lines}
    unknown = sorted(set(positions) - set(known))
    if unknown:
        raise ValidationFailed(
            _("The manifest has no line %(position)s.") % {"position": unknown[0]},
            code="unknown_line",
            field="lines",
        )
    return known


def _accepted(decision: Decision, given: ReceiptLine) -> int:
    if given.accepted_weight_g is not None:
        return given.accepted_weight_g
    if decision == Decision.ACCEPT:
        return given.received_weight_g
    if decision == Decision.REFUSE:
        return 0
    raise ValidationFailed(
        _("A partial acceptance gives the accepted weight of every line."),
        code="accepted_weight_required",
        field=f"lines.{given.position}.accepted_weight_g",
    )


def _findings(line: ManifestLine, given: ReceiptLine, tolerance: Decimal) -> list[Finding]:
    declared = LineFacts(
        line.waste_name,
        line.hazard_characteristics,
        line.physical_form,
        line.packaging,
        line.weight_g,
    )
    observed = LineFacts(
        given.observed_name.strip() or line.waste_name,
        given.observed_characteristics.strip() or line.hazard_characteristics,
        given.observed_form.strip() or line.physical_form,
        given.observed_packaging.strip() or line.packaging,
        given.received_weight_g,
    )
    return line_findings(declared, observed, tolerance=tolerance)


@transaction.atomic
def manifest_receive(
    *,
    viewer: Viewer,
    actor: User,
    manifest: Manifest,
    decision: str,
    lines: Sequence[ReceiptLine],
) -> Manifest:
    """Record the received weights and observations, the discrepancies, and the decision."""
    try:
        chosen = Decision(decision)
    except ValueError:
        raise ValidationFailed(
            _("Decide to accept, partially accept or refuse."), code="decision", field="decision"
        ) from None
    step = step_begin(
        viewer=viewer, actor=actor, manifest=manifest, action=DECISION_ACTIONS[chosen]
    )
    locked = step.manifest
    known = _by_position(lines_of(locked), lines)
    missing = sorted(set(known) - {g.position for g in lines})
    if missing:
        raise ValidationFailed(
            _("Give the received weight of line %(position)s.") % {"position": missing[0]},
            code="line_missing",
            field=f"lines.{missing[0]}",
        )
    for given in lines:
        if not 0 <= given.received_weight_g < MAX_GRAMS:
            raise ValidationFailed(
                _("The received weight is a number of grams, not negative."),
                code="weight_invalid",
                field=f"lines.{given.position}.received_weight_g",
            )
    ordered = sorted(lines, key=lambda g: g.position)
    accepted = [_accepted(chosen, g) for g in ordered]
    try:
        decision_check(chosen, [g.received_weight_g for g in ordered], accepted)
    except DecisionInconsistent as exc:
        raise ValidationFailed(
            _("The weights accepted do not match the decision: %(reason)s.") % {"reason": exc},
            code="decision_inconsistent",
            field="lines",
        ) from exc
    discrepancies = []
    for given, grams in zip(ordered, accepted, strict=True):
        line = known[given.position]
        for finding in _findings(line, given, step.rules.weight_tolerance):
            discrepancies.append(
                Discrepancy(
                    manifest=locked,
                    line=line,
                    field=finding.field,
                    declared=finding.declared[:100],
                    observed=finding.observed[:100],
                    note=given.note.strip()[:2000],
                    recorded_by=actor,
                )
            )
        line.received_weight_g = given.received_weight_g
        line.accepted_weight_g = grams
    ManifestLine.objects.bulk_update(
        list(known.values()), ["received_weight_g", "accepted_weight_g"]
    )
    Discrepancy.objects.bulk_create(discrepancies)
    locked.has_discrepancy = bool(discrepancies)
    locked.received_at = step.now
    due = locked.receipt_due_on
    locked.received_late = due is not None and timezone.localdate(step.now) > due
    events = (
        receipt_record(locked, user=actor, handled_by=user_display(actor), now=step.now)
        if step.rules.writes_ledger
        else []
    )
    step_sign(
        step,
        update_fields=["has_discrepancy", "received_at", "received_late"],
        payload={
            "decision": chosen.value,
            "late": locked.received_late,
            "receipt_due_on": due,
            "discrepancies": [
                {
                    "line": d.line.position,
                    "field": d.field,
                    "declared": d.declared,
                    "observed": d.observed,
                }
                for d in discrepancies
            ],
            "ledger_events": [e.pk for e in events],
        },
    )
    return locked


@transaction.atomic
def manifest_record_treatment(
    *, viewer: Viewer, actor: User, manifest: Manifest, lines: Sequence[TreatmentLine]
) -> Manifest:
    """The method and quantity of utilisation/disposal of each accepted line (第十二条)."""
    step = step_begin(viewer=viewer, actor=actor, manifest=manifest, action=Action.RECORD_TREATMENT)
    locked = step.manifest
    known = _by_position(lines_of(locked), lines)
    given = {g.position: g for g in lines}
    permit = locked.receiver_permit
    allowed = (
        set(permit.treatment_methods.values_list("pk", flat=True))
        if permit is not None and step.rules.treatment_method_from_permit
        else None
    )
    for position, line in sorted(known.items()):
        accepted = line.accepted_weight_g or 0
        entry = given.get(position)
        field = f"lines.{position}"
        if accepted == 0:
            if entry is not None:
                raise ValidationFailed(
                    _("Line %(position)s was not accepted: nothing to treat.")
                    % {"position": position},
                    code="line_not_accepted",
                    field=field,
                )
            continue
        if entry is None:
            raise ValidationFailed(
                _("Give the treatment of line %(position)s.") % {"position": position},
                code="line_missing",
                field=field,
            )
        if not 0 < entry.treated_weight_g <= accepted:
            raise ValidationFailed(
                _(
                    "The treated weight of line %(position)s lies between 1 g and the "
                    "accepted weight."
                )
                % {"position": position},
                code="treated_weight_invalid",
                field=f"{field}.treated_weight_g",
            )
        if allowed is not None and entry.treatment_method.pk not in allowed:
            raise ValidationFailed(
                _(
                    "The receiver's licence %(permit)s does not list treatment method %(method)s "
                    "(%(article)s)."
                )
                % {
                    "permit": permit,
                    "method": entry.treatment_method.code,
                    "article": article("licence"),
                },
                code="treatment_method_not_licensed",
                field=f"{field}.treatment_method",
            )
        line.treatment_method = entry.treatment_method
        line.treated_weight_g = entry.treated_weight_g
    ManifestLine.objects.bulk_update(list(known.values()), ["treatment_method", "treated_weight_g"])
    locked.treated_at = step.now
    step_sign(step, update_fields=["treated_at"], payload={})
    return locked
