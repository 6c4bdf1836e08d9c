"""The signing page's steps: which service each button calls, and how its form is read.

The page posts `step` plus, for the receiver, one set of fields per line (weights in kg,
observations) and, for the treatment, a method and a weight per line. Parsing only: every rule
is the services' business.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from wufei.accounts.models import User
from wufei.accounts.viewer import Viewer
from wufei.core.errors import ValidationFailed
from wufei.transfer import services as s
from wufei.transfer.content import lines_of, manifest_load
from wufei.transfer.forms import KilogramField
from wufei.transfer.models import Manifest
from wufei.transfer.references import treatment_method

# form value → the flow action it signs (for labels)
SIGNING_STEPS: dict[str, str] = {
    "sign_shipper": "sign_shipper",
    "cancel": "cancel",
    "sign_pickup": "sign_pickup",
    "sign_delivery": "sign_delivery",
    "accept": "accept",
    "partial": "accept_partially",
    "refuse": "refuse",
    "record_treatment": "record_treatment",
    "start_return": "start_return",
    "confirm_return": "confirm_return",
}


def _grams(data: Mapping[str, Any], name: str, *, required: bool) -> int | None:
    field = KilogramField(required=required)
    try:
        return field.clean(data.get(name, ""))
    except forms.ValidationError as exc:
        raise ValidationFailed(
            _("Check the weight: %(error)s") % {"error": " ".join(exc.messages)},
            code="weight_invalid",
            field=name,
        ) from None


def _receipt(manifest: Manifest, data: Mapping[str, Any], decision: str) -> list[s.ReceiptLine]:
    result = []
    for line in lines_of(manifest_load(pk=manifest.pk)):
        n = line.position
        received = _grams(data, f"received_{n}", required=True)
        accepted = _grams(data, f"accepted_{n}", required=False) if decision == "partial" else None
        result.append(
            s.ReceiptLine(
                position=n,
                received_weight_g=received or 0,
                accepted_weight_g=accepted,
                observed_name=str(data.get(f"name_{n}", "")),
                observed_characteristics=str(data.get(f"characteristics_{n}", "")),
                observed_form=str(data.get(f"form_{n}", "")),
                observed_packaging=str(data.get(f"packaging_{n}", "")),
                note=str(data.get(f"note_{n}", "")),
            )
        )
    return result


def _treatment(manifest: Manifest, data: Mapping[str, Any]) -> list[s.TreatmentLine]:
    result = []
    for line in lines_of(manifest_load(pk=manifest.pk)):
        n = line.position
        if not line.accepted_weight_g:
            continue
        grams = _grams(data, f"treated_{n}", required=True)
        result.append(
            s.TreatmentLine(
                position=n,
                treatment_method=treatment_method(
                    code=str(data.get(f"method_{n}", "")), field=f"method_{n}"
                ),
                treated_weight_g=grams or 0,
            )
        )
    return result


def step_run(
    step: str, *, viewer: Viewer, actor: User, manifest: Manifest, data: Mapping[str, Any]
) -> Manifest:
    """Call the service behind a button of the signing page."""
    who: dict[str, Any] = {"viewer": viewer, "actor": actor, "manifest": manifest}
    simple: dict[str, Callable[..., Manifest]] = {
        "sign_shipper": s.manifest_sign_shipper,
        "sign_pickup": s.manifest_sign_pickup,
        "sign_delivery": s.manifest_sign_delivery,
        "start_return": s.manifest_start_return,
        "confirm_return": s.manifest_confirm_return,
    }
    if step in simple:
        return simple[step](**who)
    if step == "cancel":
        return s.manifest_cancel(**who, reason=str(data.get("reason", "")))
    if step in ("accept", "partial", "refuse"):
        return s.manifest_receive(**who, decision=step, lines=_receipt(manifest, data, step))
    if step == "record_treatment":
        return s.manifest_record_treatment(**who, lines=_treatment(manifest, data))
    raise ValidationFailed(_("Unknown step."), code="unknown_step")  # pragma: no cover
