"""Enforcement pages. Thin: resolve the viewer, call a selector or service, render.
Anything the viewer may not see is a 404."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from wufei.accounts.viewer import Viewer, viewer_for
from wufei.core.errors import DomainError, NotFound
from wufei.domain.risk_grade import Grade
from wufei.enforcement import cases as case_services
from wufei.enforcement import selectors
from wufei.enforcement.models import CaseOutcome, CaseStatus, InspectionResult, Severity
from wufei.enforcement.rules import CHECKLIST, LEGAL_BASES
from wufei.enforcement.services import (
    FindingInput,
    finding_rectify,
    inspection_record,
    inspections_assign,
)
from wufei.ledger.selectors import ledger_reporting_year

View = Callable[..., HttpResponse]


def _viewer(request: HttpRequest) -> Viewer:
    return viewer_for(request.user)


def not_found_on_domain(view: View) -> View:
    """NotFound from a selector is a 404 page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None

    return login_required(wrapped)


def _regulator(viewer: Viewer) -> None:
    if not (viewer.is_admin or viewer.is_regulator):
        raise Http404


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET["year"])
    except (KeyError, ValueError):
        return ledger_reporting_year(today=timezone.localdate())


@not_found_on_domain
def overview(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    if not (viewer.is_admin or viewer.is_regulator):
        return render(
            request,
            "enforcement/my_unit.html",
            {
                "findings": selectors.finding_list_visible(viewer=viewer),
                "cases": selectors.case_list_visible(viewer=viewer),
                "organisations": selectors.member_organisations(viewer=viewer),
                "year": _year(request),
            },
        )
    year = _year(request)
    return render(
        request,
        "enforcement/overview.html",
        {
            "o": selectors.enforcement_overview(viewer=viewer, year=year),
            "year": year,
            "grades": list(Grade),
        },
    )


KEY_UNIT_HEADER = ("USCC", "Name", "Region", "Year", "Basis", "Added")


def _key_unit_rows(entries: Any) -> list[list[str]]:
    return [
        [
            e.organisation.uscc,
            e.organisation.name,
            e.organisation.region.name,
            str(e.year),
            " ".join(e.basis),
            timezone.localtime(e.added_at).strftime("%Y-%m-%d"),
        ]
        for e in entries
    ]


@not_found_on_domain
def key_units(request: HttpRequest, fmt: str = "") -> HttpResponse:
    viewer = _viewer(request)
    _regulator(viewer)
    year = _year(request)
    prefix = request.GET.get("region", "").strip() or None
    entries = selectors.key_unit_list(viewer=viewer, year=year, region_prefix=prefix)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(KEY_UNIT_HEADER)
        writer.writerows(_key_unit_rows(entries))
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="key-units-{year}.csv"'
        return response
    if fmt == "xlsx":
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = f"key-units-{year}"
        sheet.append(KEY_UNIT_HEADER)
        for row in _key_unit_rows(entries):
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="key-units-{year}.xlsx"'
        return response
    return render(
        request,
        "enforcement/key_units.html",
        {"entries": entries, "year": year, "region": prefix or ""},
    )


@not_found_on_domain
def risk(request: HttpRequest, uscc: str) -> HttpResponse:
    viewer = _viewer(request)
    year = _year(request)
    org, grade = selectors.risk_grade_visible(viewer=viewer, uscc=uscc, year=year)
    return render(request, "enforcement/risk.html", {"org": org, "g": grade, "year": year})


@not_found_on_domain
def credit(request: HttpRequest, uscc: str) -> HttpResponse:
    viewer = _viewer(request)
    year = _year(request)
    org, rating = selectors.credit_rating_visible(viewer=viewer, uscc=uscc, year=year)
    return render(request, "enforcement/credit.html", {"org": org, "r": rating, "year": year})


@not_found_on_domain
def grids(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    _regulator(viewer)
    return render(
        request, "enforcement/grids.html", {"grids": selectors.grid_list_visible(viewer=viewer)}
    )


@not_found_on_domain
def grid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    grid = selectors.grid_get(viewer=viewer, pk=pk)
    today = timezone.localdate()
    year = _year(request)
    try:
        month = int(request.GET.get("month") or request.POST.get("month") or today.month)
    except ValueError:
        month = today.month
    error = ""
    if request.method == "POST":
        try:
            inspections_assign(viewer=viewer, grid=grid, year=year, month=month)
        except DomainError as exc:
            error = exc.message
        else:
            return redirect(f"{request.path}?year={year}&month={month}")
    assignments = selectors.assignment_list_visible(
        viewer=viewer, grid=grid, year=year, month=month
    )
    return render(
        request,
        "enforcement/grid_detail.html",
        {
            "grid": grid,
            "assignments": assignments,
            "year": year,
            "month": month,
            "months": range(1, 13),
            "error": error,
        },
    )


def _findings_from(post: Any, visited_on: date) -> list[FindingInput]:
    result = []
    for item in CHECKLIST:
        if post.get(f"check_{item.code}") != "fail":
            continue
        due = post.get(f"due_{item.code}") or ""
        try:
            due_on = date.fromisoformat(due)
        except ValueError:
            due_on = visited_on
        result.append(
            FindingInput(
                item=item.code,
                severity=post.get(f"severity_{item.code}") or Severity.MINOR,
                description=post.get(f"description_{item.code}") or "",
                rectification_due=due_on,
            )
        )
    return result


@not_found_on_domain
def inspection_form(request: HttpRequest, assignment_pk: int) -> HttpResponse:
    """The phone-friendly visit form: one row per checklist item, a finding where it fails."""
    viewer = _viewer(request)
    assignment = selectors.assignment_get(viewer=viewer, pk=assignment_pk)
    error = ""
    if request.method == "POST":
        try:
            visited_at = timezone.make_aware(
                datetime.fromisoformat(request.POST.get("visited_at") or "")
            )
        except ValueError:
            visited_at = timezone.now()
        checklist = {i.code: request.POST.get(f"check_{i.code}", "na") for i in CHECKLIST}
        try:
            inspection = inspection_record(
                viewer=viewer,
                organisation=assignment.organisation,
                assignment=assignment,
                visited_at=min(visited_at, timezone.now()),
                checklist=checklist,
                findings=_findings_from(request.POST, timezone.localtime(visited_at).date()),
                notes=request.POST.get("notes", ""),
                result=request.POST.get("result", ""),
                photos=request.FILES.getlist("photos"),
            )
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("enforcement:inspection", pk=inspection.pk)
    return render(
        request,
        "enforcement/inspection_form.html",
        {
            "assignment": assignment,
            "checklist": CHECKLIST,
            "severities": Severity.choices,
            "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "not_accessible": InspectionResult.NOT_ACCESSIBLE,
            "error": error,
        },
    )


@not_found_on_domain
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    inspection = selectors.inspection_get(viewer=viewer, pk=pk)
    titles = {i.code: i for i in CHECKLIST}
    rows = [(titles[c], v) for c, v in inspection.checklist.items() if c in titles]
    return render(
        request,
        "enforcement/inspection_detail.html",
        {"inspection": inspection, "rows": rows, "titles": titles, "viewer": viewer},
    )


@not_found_on_domain
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    finding = selectors.finding_get(viewer=viewer, pk=pk)
    error = ""
    if request.method == "POST":
        try:
            finding_rectify(
                viewer=viewer,
                finding=finding,
                note=request.POST.get("note", ""),
                photos=request.FILES.getlist("photos"),
            )
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("enforcement:finding", pk=finding.pk)
    return render(
        request,
        "enforcement/finding_detail.html",
        {
            "finding": finding,
            "item": {i.code: i for i in CHECKLIST}.get(finding.item),
            "can_rectify": viewer.can_act_for(finding.inspection.organisation_id)
            and finding.rectified_at is None,
            "error": error,
        },
    )


@not_found_on_domain
def case_list(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    status = request.GET.get("status", "")
    return render(
        request,
        "enforcement/case_list.html",
        {
            "cases": selectors.case_list_visible(viewer=viewer, status=status)[:200],
            "status": status,
            "statuses": CaseStatus.choices,
            "bases": LEGAL_BASES,
        },
    )


@not_found_on_domain
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    case = selectors.case_get(viewer=viewer, pk=pk)
    may_act = selectors.can_regulate(viewer, case.organisation)
    error = ""
    if request.method == "POST":
        if not may_act:
            raise Http404
        step = request.POST.get("step", "")
        try:
            if step == "investigate":
                case_services.case_investigate(viewer=viewer, case=case)
            elif step == "decide":
                fine = request.POST.get("fine_yuan") or None
                case_services.case_decide(
                    viewer=viewer,
                    case=case,
                    outcome=request.POST.get("outcome", ""),
                    fine_yuan=_decimal(fine),
                )
            elif step == "close":
                case_services.case_close(viewer=viewer, case=case)
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("enforcement:case", pk=case.pk)
    return render(
        request,
        "enforcement/case_detail.html",
        {
            "case": case,
            "basis": LEGAL_BASES.get(case.legal_basis),
            "may_act": may_act,
            "outcomes": CaseOutcome.choices,
            "error": error,
        },
    )


def _decimal(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise DomainError(_("Enter the fine as a number of yuan."), field="fine_yuan") from None
