"""Filing pages: the unit's calendar of declarations with a submit button per due period, and
the yearly management plan form. Thin: parse, call the service, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wufei.catalog.models import HazardousCode
from wufei.catalog.selectors import current_edition
from wufei.core.errors import DomainError, ValidationFailed
from wufei.ledger.filing_selectors import filing_calendar
from wufei.ledger.filing_services import PlanLineInput, filing_submit, management_plan_submit
from wufei.ledger.inputs import grams_input
from wufei.ledger.views import base_context, organisation_for

PLAN_LINES = 5


@login_required
def filings_page(request: HttpRequest, uscc: str) -> HttpResponse:
    viewer, org = organisation_for(request, uscc)
    if not org.is_producer:
        raise Http404
    error = ""
    if request.method == "POST":
        if not viewer.can_act_for(org.pk):
            raise Http404
        try:
            filing = filing_submit(
                viewer=viewer,
                actor=request.user,  # type: ignore[arg-type]
                organisation=org,
                kind=request.POST.get("kind", ""),
                period=request.POST.get("period", ""),
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Filing %(period)s submitted.") % {"period": filing.period})
            return redirect("filings:list", uscc=org.uscc)
    calendar = filing_calendar(viewer=viewer, organisation=org, today=timezone.localdate())
    return render(
        request,
        "ledger/filings.html",
        {**base_context(viewer, org, "filings"), "calendar": calendar, "error": error},
    )


class PlanForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for i in range(PLAN_LINES):
            self.fields[f"code_{i}"] = forms.CharField(
                label=gettext_lazy("Waste code"), required=False, max_length=12
            )
            self.fields[f"tonnes_{i}"] = forms.CharField(
                label=gettext_lazy("Planned quantity (t)"), required=False, max_length=20
            )

    def line_pairs(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"code_{i}"], self[f"tonnes_{i}"]) for i in range(PLAN_LINES)]

    def lines(self) -> list[PlanLineInput]:
        """The filled lines; raises ValidationFailed naming the field at fault."""
        edition = current_edition()
        result = []
        for i in range(PLAN_LINES):
            code = (self.cleaned_data.get(f"code_{i}") or "").strip()
            tonnes = (self.cleaned_data.get(f"tonnes_{i}") or "").strip()
            if not code and not tonnes:
                continue
            waste = HazardousCode.objects.filter(edition=edition, code=code).first()
            if waste is None:
                raise ValidationFailed(
                    _("Unknown waste code %(code)s.") % {"code": code}, field=f"code_{i}"
                )
            result.append(PlanLineInput(waste, grams_input(tonnes, "t", field=f"tonnes_{i}")))
        return result


@login_required
def plan_page(request: HttpRequest, uscc: str) -> HttpResponse:
    viewer, org = organisation_for(request, uscc)
    if not org.is_producer or not viewer.can_act_for(org.pk):
        raise Http404
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            management_plan_submit(
                viewer=viewer,
                actor=request.user,  # type: ignore[arg-type]
                organisation=org,
                year=form.cleaned_data["year"],
                lines=form.lines(),
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Management plan filed."))
            return redirect("filings:list", uscc=org.uscc)
    return render(
        request, "ledger/filing_plan.html", {**base_context(viewer, org, "filings"), "form": form}
    )
