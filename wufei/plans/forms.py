"""Forms of the plan pages. They parse input only: the rules (numbers unique in a plan, completion
after start, investment not negative, departments of the plan's region) are the services'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wufei.plans import selectors
from wufei.plans.models import Department, Plan, System

MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d"]


class ProgressForm(forms.Form):
    reported_on = forms.DateField(
        label=_("Reported on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("Evidence"), required=False)


def _month_input() -> forms.DateInput:
    """A year-month as 附件2 gives it; browsers without a month picker show text."""
    return forms.DateInput(format="%Y-%m", attrs={"type": "month", "placeholder": "YYYY-MM"})


class _PlanItemForm(forms.Form):
    """Offers only the departments of the plan's region."""

    department_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = selectors.plan_departments(plan=plan)
        for name in self.department_fields:
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = departments


class TaskForm(_PlanItemForm):
    department_fields = ("lead_department", "assisting_departments")

    system = forms.ChoiceField(label=_("Work system"), choices=System.choices)
    number = forms.CharField(
        label=_("No."), max_length=12, help_text=_("Unique in the plan, e.g. 21.4.")
    )
    title = forms.CharField(label=_("Task"), max_length=200)
    content = forms.CharField(
        label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    targets = forms.CharField(
        label=_("Targets"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    lead_department = forms.ModelChoiceField(
        label=_("Lead unit"), queryset=Department.objects.none()
    )
    assisting_departments = forms.ModelMultipleChoiceField(
        label=_("Assisting units"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        # ISO, whatever the locale: a date input drops a value in any other format
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    lead_text = forms.CharField(
        label=_("Lead units as written"),
        max_length=200,
        required=False,
        help_text=_("Optional: the cell as the plan document writes it, e.g. several co-leads."),
    )
    assisting_text = forms.CharField(
        label=_("Assisting units as written"),
        max_length=300,
        required=False,
        help_text=_("Optional, e.g. 各相关单位."),
    )


class ProjectForm(_PlanItemForm):
    department_fields = ("responsible_department",)

    number = forms.CharField(label=_("No."), max_length=12, help_text=_("Unique in the plan."))
    name = forms.CharField(label=_("Project name"), max_length=200)
    category = forms.CharField(label=_("Project category"), max_length=50, required=False)
    content = forms.CharField(
        label=_("Construction content"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    investment_wan_yuan = forms.DecimalField(
        label=_("Total investment (10,000 yuan)"),
        max_digits=12,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"min": "0", "step": "0.01"}),
    )
    start_month = forms.DateField(
        label=_("(Planned) start"), input_formats=MONTH_FORMATS, widget=_month_input()
    )
    completion_month = forms.DateField(
        label=_("Planned completion"), input_formats=MONTH_FORMATS, widget=_month_input()
    )
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    responsible_body = forms.CharField(label=_("Responsible body"), max_length=200, required=False)
    implementing_body = forms.CharField(
        label=_("Implementing body"), max_length=200, required=False
    )
    responsible_department = forms.ModelChoiceField(
        label=_("Responsible department"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("Its members report the project's progress."),
    )

    def clean_investment_wan_yuan(self) -> Decimal:
        """Left blank in the list means not yet known: 0, as the model's default."""
        value = self.cleaned_data.get("investment_wan_yuan")
        return Decimal(0) if value is None else value
