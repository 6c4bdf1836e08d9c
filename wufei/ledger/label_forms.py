"""Forms of the label pages: registering containers, filtering them, what to add when printing.

Forms only parse; the rules (permissions, dates, the catalog edition, sequence limits) are in
`wufei.ledger.containers` and answer with `DomainError`s that the view puts on the form.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wufei.ledger.containers import MAX_BATCH
from wufei.ledger.label_content import PHYSICAL_FORMS, LabelDetails
from wufei.ledger.label_selectors import ContainerFilters
from wufei.registry.models import Organisation

# Common container types (HJ 1259-2022 容器/包装类型); free text is allowed too.
CONTAINER_TYPES = ("桶", "铁桶", "塑料桶", "吨桶", "袋", "吨袋", "箱", "罐", "托盘")


class ContainerRegisterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), to_field_name="uscc"
    )
    waste_code = forms.RegexField(
        label=_("Waste code"),
        regex=r"^\d{3}-\d{3}-\d{2}$",
        max_length=10,
        help_text=_("As in the National Hazardous Waste List, e.g. 900-249-08."),
    )
    container_type = forms.CharField(label=_("Container type"), max_length=20)
    volume_l = forms.DecimalField(
        label=_("Volume (L)"), min_value=Decimal("0.1"), max_digits=8, decimal_places=1
    )
    generated_on = forms.DateField(
        label=_("Generation date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    count = forms.IntegerField(
        label=_("Number of containers"), min_value=1, max_value=MAX_BATCH, initial=1
    )
    internal_code = forms.CharField(
        label=_("Internal container code"),
        max_length=64,
        required=False,
        help_text=_("Optional; only for a single container."),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
        only = list(organisations[:2])
        if len(only) == 1:
            field.initial = only[0].uscc
        self.fields["generated_on"].initial = timezone.localdate()


class ContainerFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=64)
    org = forms.CharField(required=False, max_length=18)
    waste = forms.CharField(required=False, max_length=10)
    day = forms.DateField(required=False)
    seq_from = forms.IntegerField(required=False, min_value=1)
    seq_to = forms.IntegerField(required=False, min_value=1)
    code = forms.CharField(required=False)  # repeated: ?code=…&code=…

    def filters(self, codes: list[str]) -> ContainerFilters:
        """The filters of a valid form (invalid values are ignored, not guessed)."""
        data = self.cleaned_data if self.is_valid() else {}
        day: date | None = data.get("day")
        return ContainerFilters(
            search=data.get("q", ""),
            organisation_uscc=data.get("org", ""),
            waste_code=data.get("waste", ""),
            generated_on=day,
            sequence_from=data.get("seq_from"),
            sequence_to=data.get("seq_to"),
            codes=tuple(codes) if codes else None,
        )


class LabelDetailsForm(forms.Form):
    """HJ 1276-2022 label fields only the producer knows; blank ones print as lines to write on."""

    physical_form = forms.ChoiceField(
        label=_("Physical form"),
        required=False,
        choices=[("", "—"), *((f, f) for f in PHYSICAL_FORMS)],
    )
    waste_name = forms.CharField(label=_("Waste name"), required=False, max_length=100)
    main_components = forms.CharField(label=_("Main components"), required=False, max_length=100)
    harmful_components = forms.CharField(
        label=_("Harmful components"), required=False, max_length=100
    )
    precautions = forms.CharField(label=_("Precautions"), required=False, max_length=100)
    contact_person = forms.CharField(label=_("Contact person"), required=False, max_length=50)
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=30)
    remarks = forms.CharField(label=_("Remarks"), required=False, max_length=100)

    def details(self) -> LabelDetails:
        data = self.cleaned_data if self.is_valid() else {}
        return LabelDetails(**{name: data.get(name, "") for name in self.fields})
