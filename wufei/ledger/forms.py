"""The record form of each step of HJ 1259-2022 appendix B (one form, fields by kind).

The form parses; `command()` resolves codes into objects (wufei.ledger.inputs) and returns the
arguments of `ledger_event_record`, which decides. Steps that take waste from a batch choose it
among the unit's batches that still hold something; their waste code and, for a store-out or
hand-over, their facility follow from that batch.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wufei.catalog.models import TreatmentMethod
from wufei.domain.ledger_units import grams_as
from wufei.ledger import inputs, rules
from wufei.ledger.models import SOURCE_KINDS, EventKind, LedgerEvent
from wufei.ledger.selectors import source_candidates
from wufei.registry.models import Organisation

SOURCE_CHOICES_LIMIT = 300
UNIT_CHOICES = [("kg", _("kg")), ("t", _("t"))]
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# Fields the service names in its errors, as the form calls them.
SERVICE_FIELDS = {"quantity_g": "quantity"}


def source_label(event: LedgerEvent) -> str:
    remaining = getattr(event, "remaining_g", event.quantity_g)
    return (
        f"{event.batch_code} · {event.waste_code.code} · {event.facility.code} · "
        f"{grams_as(remaining, 'kg')} kg"
    )


class EventForm(forms.Form):
    occurred_at = forms.DateTimeField(
        label=_("Time"), widget=DATETIME_INPUT, input_formats=["%Y-%m-%dT%H:%M"]
    )
    quantity = forms.CharField(
        label=_("Quantity"), widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=UNIT_CHOICES, initial="kg")
    handled_by = forms.CharField(label=_("Person responsible"), max_length=50)
    internal_name = forms.CharField(label=_("Internal name"), max_length=100, required=False)
    container_code = forms.CharField(label=_("Container code"), max_length=64, required=False)
    container_type = forms.CharField(label=_("Container type"), max_length=20, required=False)
    container_count = forms.IntegerField(
        label=_("Number of containers"), min_value=0, required=False
    )
    batch_code = forms.CharField(
        label=_("Batch code"),
        max_length=40,
        required=False,
        help_text=_("Leave empty to number it automatically (HJ 1259-2022 appendix B)."),
    )

    def __init__(self, *args: Any, organisation: Organisation, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.kind = kind
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        if SOURCE_KINDS[kind]:
            candidates = source_candidates(organisation=organisation, kind=kind)
            self.fields["source"] = forms.ChoiceField(
                label=_("Source batch"),
                choices=[("", "—")]
                + [(e.batch_code, source_label(e)) for e in candidates[:SOURCE_CHOICES_LIMIT]],
            )
        if kind in (EventKind.GENERATE, EventKind.RECEIVE):
            self.fields["waste_code"] = forms.CharField(
                label=_("Waste code"), max_length=10, help_text=_("e.g. 900-249-08")
            )
        if kind not in rules.SAME_FACILITY_AS_SOURCE:
            facilities = organisation.facilities.filter(kind__in=rules.FACILITY_KINDS[kind])
            self.fields["facility"] = forms.ChoiceField(
                label=_("Facility"),
                choices=[("", "—")] + [(f.code, f"{f.code} {f.name}") for f in facilities],
            )
        if kind in (EventKind.STORE_IN, EventKind.STORE_OUT):
            self.fields["second_handler"] = forms.CharField(
                label=_("Transport person"), max_length=50, required=False
            )
        if kind in (EventKind.GENERATE, EventKind.STORE_OUT):
            self.fields["destination"] = forms.CharField(
                label=_("Destination"), max_length=100, required=False
            )
        if kind in (EventKind.TREAT_IN_HOUSE, EventKind.HAND_OVER):
            self.fields["treatment_method"] = forms.ChoiceField(
                label=_("Treatment method"),
                choices=[("", "—")] + [(m.code, str(m)) for m in TreatmentMethod.objects.all()],
            )
        if kind == EventKind.TREAT_IN_HOUSE:
            self.fields["finished_at"] = forms.DateTimeField(
                label=_("Finished"),
                widget=DATETIME_INPUT,
                input_formats=["%Y-%m-%dT%H:%M"],
                required=False,
            )
        if kind == EventKind.HAND_OVER:
            self.fields["handled_by"].required = False
            self.fields["receiver_type"] = forms.ChoiceField(
                label=_("Receiver type"), choices=[(t, t) for t in rules.RECEIVER_TYPES]
            )
            self.fields["destination"] = forms.CharField(label=_("Receiving unit"), max_length=100)
            self.fields["receiver_permit_number"] = forms.CharField(
                label=_("Licence or export approval number"), max_length=50, required=False
            )

    def command(self) -> dict[str, Any]:
        """The keyword arguments of `ledger_event_record` (raises ValidationFailed)."""
        data = {k: v for k, v in self.cleaned_data.items() if v is not None}
        data.setdefault("container_count", 0)
        return inputs.event_command(organisation=self.organisation, kind=self.kind, **data)


class SupervisionBasisForm(forms.Form):
    """HJ 1259-2022 4.2.3: since when the site operates, the documented annual quantity."""

    operating_since = forms.DateField(
        label=_("In operation since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    declared_t = forms.CharField(
        label=_("Documented annual quantity (t)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("From the EIA or the discharge permit; used in the first year of operation."),
    )
    declared_source = forms.CharField(label=_("Document"), max_length=200, required=False)
    intermittent = forms.BooleanField(
        label=_("Generated in cycles longer than three years"), required=False
    )

    def command(self) -> dict[str, Any]:
        data = self.cleaned_data
        declared = (data.get("declared_t") or "").strip()
        return {
            "operating_since": data.get("operating_since"),
            "declared_annual_g": inputs.grams_input(declared, "t", field="declared_t")
            if declared
            else None,
            "declared_source": data.get("declared_source", ""),
            "intermittent": bool(data.get("intermittent")),
        }
