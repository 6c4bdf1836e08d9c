"""Forms of the alert pages: list filters, the workflow note, a rule's thresholds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wufei.alerts.models import AlertStatus, Severity


class AlertFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *AlertStatus.choices]
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        required=False,
        choices=[("", _("Any severity")), *Severity.choices],
    )
    rule = forms.ChoiceField(label=_("Rule"), required=False)
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self,
        data: Any,
        *,
        rules: list[tuple[str, str]],
        organisations: list[tuple[int, str]],
    ) -> None:
        super().__init__(data)
        rule_field = self.fields["rule"]
        org_field = self.fields["organisation"]
        assert isinstance(rule_field, forms.ChoiceField)
        assert isinstance(org_field, forms.TypedChoiceField)
        rule_field.choices = [("", _("Any rule")), *rules]
        org_field.choices = [("", _("Any organisation")), *organisations]


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachment = forms.FileField(
        label=_("Attachment (PDF, JPG or PNG, at most 10 MB)"), required=False
    )


class ThresholdForm(forms.Form):
    """One field per threshold of the rule: whole numbers ≥ 0, or text where the default is."""

    enabled = forms.BooleanField(label=_("Enabled"), required=False)

    def __init__(self, data: Any, *, defaults: Mapping[str, int | str], initial: Mapping[str, Any]):
        super().__init__(data, initial=dict(initial))
        for name, default in defaults.items():
            if isinstance(default, int):
                self.fields[name] = forms.IntegerField(label=name, min_value=0)
            else:
                self.fields[name] = forms.CharField(label=name, max_length=100)
        self.threshold_names = list(defaults)

    def thresholds(self) -> dict[str, int | str]:
        return {name: self.cleaned_data[name] for name in self.threshold_names}
