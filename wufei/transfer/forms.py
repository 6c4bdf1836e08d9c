"""Forms of the manifest pages: they parse what a person types into the services' inputs.

Weights are typed in kilograms (up to three decimals: grams) and handed on as integer grams.
Choices only offer what the viewer may use: its own facilities and containers, and the public
directory of receivers and carriers with their public licences. A carrier's vehicle is typed by
its plate (fleets are not public, ADR 0005).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wufei.accounts.viewer import Viewer
from wufei.ledger.models import Container
from wufei.registry.models import Facility, Organisation, Permit, PermitKind
from wufei.registry.selectors import RECEIVING_KINDS
from wufei.transfer.checks import COUNTING_STATUSES
from wufei.transfer.models import DocType

FORMS = [
    ("液态", _("Liquid")),
    ("固态", _("Solid")),
    ("半固态", _("Semi-solid")),
    ("气态", _("Gas")),
]
MAX_KG = Decimal("1000000000")


def kilograms_to_grams(value: Decimal) -> int:
    grams = value * 1000
    if grams != grams.to_integral_value():
        raise forms.ValidationError(_("At most three decimals: the gram."))
    return int(grams)


class KilogramField(forms.DecimalField):
    """A weight typed in kg, cleaned to integer grams."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("max_value", MAX_KG)
        kwargs.setdefault("decimal_places", 3)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "step": "0.001"})

    def clean(self, value: Any) -> int | None:
        cleaned = super().clean(value)
        if cleaned is None:
            return None
        try:
            return kilograms_to_grams(Decimal(cleaned))
        except InvalidOperation as exc:  # pragma: no cover - DecimalField already refused it
            raise forms.ValidationError(_("Enter a number.")) from exc


def acting_organisation_ids(viewer: Viewer) -> list[int]:
    return [pk for pk in viewer.organisation_ids if viewer.can_act_for(pk)]


class HeaderForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Document type"), choices=DocType.choices)
    shipper_facility = forms.ModelChoiceField(
        label=_("Shipper facility"), queryset=Facility.objects.none()
    )
    receiver_facility = forms.ModelChoiceField(
        label=_("Receiver facility"), queryset=Facility.objects.none()
    )
    receiver_permit = forms.ModelChoiceField(
        label=_("Receiver's licence"),
        queryset=Permit.objects.none(),
        required=False,
        empty_label=_("Find it for me"),
    )
    planned_on = forms.DateField(
        label=_("Planned transfer date"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    emergency_measures = forms.CharField(
        label=_("Emergency measures"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, viewer: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        acting = acting_organisation_ids(viewer)
        fields: Any = self.fields
        fields["shipper_facility"].queryset = Facility.objects.filter(
            organisation_id__in=acting
        ).select_related("organisation")
        receivers = Organisation.objects.filter(Q(is_treatment=True) | Q(is_collector=True))
        fields["receiver_facility"].queryset = Facility.objects.filter(
            organisation__in=receivers, kind__in=RECEIVING_KINDS
        ).select_related("organisation")
        fields["receiver_permit"].queryset = (
            Permit.objects.filter(organisation__in=receivers, valid_until__gte=timezone.localdate())
            .exclude(kind=PermitKind.ROAD_HAZMAT)
            .select_related("organisation")
        )
        self.initial.setdefault("planned_on", timezone.localdate())
        self.initial.setdefault("doc_type", DocType.HAZARDOUS)
        fields["shipper_facility"].label_from_instance = _facility_label
        fields["receiver_facility"].label_from_instance = _facility_label
        fields["receiver_permit"].label_from_instance = _permit_label


def _facility_label(facility: Facility) -> str:
    return f"{facility.organisation.name} · {facility.name} ({facility.code})"


def _permit_label(permit: Permit) -> str:
    return f"{permit.number} · {permit.organisation.name} · {permit.get_kind_display()}"


class LineForm(forms.Form):
    waste_code = forms.CharField(label=_("Waste code"), max_length=10)
    waste_name = forms.CharField(label=_("Waste name"), max_length=100)
    physical_form = forms.ChoiceField(label=_("Physical form"), choices=[("", "—"), *FORMS])
    packaging = forms.CharField(label=_("Packaging"), max_length=20)
    weight = KilogramField(label=_("Weight (kg)"), min_value=Decimal("0.001"))
    containers = forms.ModelMultipleChoiceField(
        label=_("Containers"), queryset=Container.objects.none(), required=False
    )

    def __init__(self, *args: Any, viewer: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        # Containers not already on a signed, live manifest.
        fields["containers"].queryset = (
            Container.objects.filter(organisation_id__in=acting_organisation_ids(viewer))
            .exclude(manifest_lines__manifest__status__in=COUNTING_STATUSES)
            .select_related("waste_code")
            .order_by("waste_code__code", "code")
        )
        fields["containers"].label_from_instance = lambda c: f"{c.waste_code.code} · {c.code}"
        fields["containers"].widget.attrs["size"] = 4


class CarrierForm(forms.Form):
    carrier = forms.ModelChoiceField(label=_("Carrier"), queryset=Organisation.objects.none())
    vehicle_plate = forms.CharField(label=_("Vehicle plate"), max_length=12)
    licence = forms.ModelChoiceField(label=_("Transport licence"), queryset=Permit.objects.none())
    origin = forms.CharField(label=_("From"), max_length=200, required=False)
    destination = forms.CharField(label=_("To"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["carrier"].queryset = Organisation.objects.filter(is_carrier=True)
        fields["licence"].queryset = Permit.objects.filter(
            organisation__is_carrier=True, kind=PermitKind.ROAD_HAZMAT
        ).select_related("organisation")
        fields["licence"].label_from_instance = lambda p: f"{p.number} · {p.organisation.name}"


if TYPE_CHECKING:
    _LineFormSetBase = forms.BaseFormSet[LineForm]
else:
    _LineFormSetBase = forms.BaseFormSet


class BaseLineFormSet(_LineFormSetBase):
    def __init__(self, *args: Any, viewer: Viewer, **kwargs: Any) -> None:
        self.viewer = viewer
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "viewer": self.viewer}


LineFormSet = cast(
    type[BaseLineFormSet],
    forms.formset_factory(LineForm, formset=BaseLineFormSet, extra=3, max_num=50),
)
CarrierFormSet = forms.formset_factory(CarrierForm, extra=2, max_num=9)


class RevisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    planned_on = forms.DateField(
        label=_("Planned transfer date"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    emergency_measures = forms.CharField(
        label=_("Emergency measures"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    line = forms.IntegerField(label=_("Line"), min_value=1, required=False)
    weight = KilogramField(label=_("Corrected weight (kg)"), required=False)
    waste_name = forms.CharField(label=_("Corrected name"), max_length=100, required=False)
    physical_form = forms.ChoiceField(
        label=_("Corrected form"), choices=[("", "—"), *FORMS], required=False
    )
    packaging = forms.CharField(label=_("Corrected packaging"), max_length=20, required=False)

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        changes: dict[str, Any] = {}
        if data.get("planned_on"):
            changes["planned_on"] = data["planned_on"].isoformat()
        if data.get("emergency_measures"):
            changes["emergency_measures"] = data["emergency_measures"]
        line: dict[str, Any] = {}
        if data.get("weight"):
            line["weight_g"] = data["weight"]
        for name in ("waste_name", "physical_form", "packaging"):
            if data.get(name):
                line[name] = data[name]
        if line:
            changes["lines"] = {str(data.get("line") or 1): line}
        return changes
