"""The statistical-input form: parses; the service validates units, sign and year."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wufei.domain.indicator_inputs import INPUT_KEYS
from wufei.indicators.models import Indicator


def key_choices() -> list[tuple[str, str]]:
    shared = [(k.key, f"{k.label}（{k.unit}）") for k in INPUT_KEYS.values()]
    manual = [
        (i.manual_key, f"{i.set.name} · {i.code} {i.name}（{i.unit}）")
        for i in Indicator.objects.select_related("set")
        .filter(formula__isnull=True)
        .exclude(unit="")
        .order_by("set", "position")
    ]
    return [(str(_("Statistics")), shared), (str(_("Indicators entered directly")), manual)]  # type: ignore[list-item]


class StatInputForm(forms.Form):
    region = forms.CharField(label=_("Region code"), max_length=12)
    year = forms.IntegerField(label=_("Year"), min_value=1949, max_value=2100)
    key = forms.ChoiceField(label=_("Statistic"))
    value = forms.DecimalField(label=_("Value"), max_digits=20, decimal_places=6)
    unit = forms.CharField(label=_("Unit"), max_length=20)
    source = forms.CharField(
        label=_("Source and evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The publication, table and page, or the statistical report it comes from."),
    )
    evidence = forms.FileField(label=_("Evidence file"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["key"].choices = key_choices()  # type: ignore[attr-defined]
