"""Reads of the enforcement app, always through a `Viewer`.

Policy: regulators see the enforcement records (key units, risk grades, grids, inspections,
findings, cases, ratings) of organisations in their regions; an enterprise's members see its
own inspections, findings, cases and credit rating, never its risk grade nor anybody else's
records; administrators see everything. Anything invisible is NotFound.

`risk_grade_for` and `credit_rating_for` take no viewer: they are the computations the
dashboard calls for organisations it has already checked; pages use the `_visible` variants.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.accounts.viewer import Viewer
from wufei.core.errors import NotFound
from wufei.domain.credit_rating import DEFAULT_SCHEME, CreditRating, credit_rating
from wufei.domain.risk_grade import Grade, RiskGrade, risk_grade
from wufei.enforcement.facts import credit_facts, risk_inputs_bulk, year_end_or_today
from wufei.enforcement.models import (
    AssignmentStatus,
    CaseStatus,
    EnforcementCase,
    Finding,
    Grid,
    Inspection,
    InspectionAssignment,
    KeyUnitEntry,
)
from wufei.registry.models import Organisation

NOTHING = Q(pk__in=[])


def regulated_q(viewer: Viewer, lookup: str = "") -> Q:
    """Organisations (at `lookup`) the viewer regulates; all for an administrator."""
    if viewer.is_admin:
        return Q()
    if not viewer.is_regulator:
        return NOTHING
    prefix = f"{lookup}__" if lookup else ""
    return viewer.region_q(f"{prefix}region__prefix")


def party_q(viewer: Viewer, lookup: str = "organisation") -> Q:
    """Records of organisations the viewer regulates or is a member of."""
    if not viewer.is_authenticated:
        return NOTHING
    q = regulated_q(viewer, lookup)
    if viewer.memberships:
        q |= Q(**{f"{lookup}_id__in": viewer.organisation_ids})
    return q


def can_regulate(viewer: Viewer, organisation: Organisation) -> bool:
    return viewer.is_admin or viewer.regulates(organisation.region.prefix)


def organisation_get(*, viewer: Viewer, uscc: str, regulator_only: bool = False) -> Organisation:
    """An organisation the viewer regulates (or, unless `regulator_only`, is a member of)."""
    q = regulated_q(viewer)
    if not regulator_only and viewer.memberships:
        q |= Q(pk__in=viewer.organisation_ids)
    org = (
        Organisation.objects.filter(q)
        .select_related("region")
        .filter(uscc=uscc.strip().upper())
        .first()
    )
    if org is None:
        raise NotFound(_("No such organisation is visible to you."), field="organisation")
    return org


# Key units -------------------------------------------------------------------------------


def key_unit_list(
    *, viewer: Viewer, year: int, region_prefix: str | None = None
) -> QuerySet[KeyUnitEntry]:
    """The year's current key-unit entries of organisations the viewer regulates."""
    qs = KeyUnitEntry.objects.filter(
        regulated_q(viewer, "organisation"), year=year, removed_at__isnull=True
    )
    if region_prefix:
        qs = qs.filter(organisation__region__prefix__startswith=region_prefix)
    return qs.select_related("organisation", "organisation__region").order_by("organisation__name")


# Risk grade and credit rating ------------------------------------------------------------


def risk_grade_for(*, organisation: Organisation, year: int) -> RiskGrade:
    return risk_grade(
        risk_inputs_bulk(organisation_ids=[organisation.pk], year=year)[organisation.pk]
    )


def risk_grades_for(*, organisation_ids: list[int], year: int) -> dict[int, RiskGrade]:
    return {
        i: risk_grade(inputs)
        for i, inputs in risk_inputs_bulk(organisation_ids=organisation_ids, year=year).items()
    }


def risk_grade_visible(*, viewer: Viewer, uscc: str, year: int) -> tuple[Organisation, RiskGrade]:
    org = organisation_get(viewer=viewer, uscc=uscc, regulator_only=True)
    return org, risk_grade_for(organisation=org, year=year)


def credit_rating_for(*, organisation: Organisation, year: int) -> CreditRating:
    warnings, findings, cases = credit_facts(organisation=organisation, year=year)
    return credit_rating(
        year=year,
        warnings=warnings,
        findings=findings,
        cases=cases,
        as_of=year_end_or_today(year),
        scheme=DEFAULT_SCHEME,
    )


def credit_rating_visible(
    *, viewer: Viewer, uscc: str, year: int
) -> tuple[Organisation, CreditRating]:
    org = organisation_get(viewer=viewer, uscc=uscc)
    return org, credit_rating_for(organisation=org, year=year)


# Grids, assignments, inspections, findings, cases ----------------------------------------


def grid_list_visible(*, viewer: Viewer) -> QuerySet[Grid]:
    if viewer.is_admin:
        q = Q()
    elif viewer.is_regulator:
        q = viewer.region_q("region__prefix")
    else:
        q = NOTHING
    return Grid.objects.filter(q).select_related("region", "park").prefetch_related("inspectors")


def grid_get(*, viewer: Viewer, pk: int) -> Grid:
    grid = grid_list_visible(viewer=viewer).filter(pk=pk).first()
    if grid is None:
        raise NotFound(_("No such grid is visible to you."), field="grid")
    return grid


def assignment_list_visible(
    *, viewer: Viewer, grid: Grid | None = None, year: int | None = None, month: int | None = None
) -> QuerySet[InspectionAssignment]:
    qs = InspectionAssignment.objects.filter(regulated_q(viewer, "organisation"))
    if grid is not None:
        qs = qs.filter(grid=grid)
    if year is not None:
        qs = qs.filter(year=year)
    if month is not None:
        qs = qs.filter(month=month)
    return qs.select_related("organisation", "inspector", "grid")


def assignment_get(*, viewer: Viewer, pk: int) -> InspectionAssignment:
    a = assignment_list_visible(viewer=viewer).filter(pk=pk).first()
    if a is None:
        raise NotFound(_("No such inspection assignment is visible to you."), field="assignment")
    return a


def inspection_list_visible(
    *, viewer: Viewer, organisation: Organisation | None = None
) -> QuerySet[Inspection]:
    qs = Inspection.objects.filter(party_q(viewer))
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.select_related("organisation", "inspector").prefetch_related("findings")


def inspection_get(*, viewer: Viewer, pk: int) -> Inspection:
    i = inspection_list_visible(viewer=viewer).filter(pk=pk).first()
    if i is None:
        raise NotFound(_("No such inspection is visible to you."), field="inspection")
    return i


def finding_list_visible(*, viewer: Viewer, open_only: bool = False) -> QuerySet[Finding]:
    qs = Finding.objects.filter(party_q(viewer, "inspection__organisation"))
    if open_only:
        qs = qs.filter(rectified_at__isnull=True)
    return qs.select_related("inspection", "inspection__organisation").prefetch_related("photos")


def finding_get(*, viewer: Viewer, pk: int) -> Finding:
    f = finding_list_visible(viewer=viewer).filter(pk=pk).first()
    if f is None:
        raise NotFound(_("No such finding is visible to you."), field="finding")
    return f


def case_list_visible(*, viewer: Viewer, status: str = "") -> QuerySet[EnforcementCase]:
    qs = EnforcementCase.objects.filter(party_q(viewer))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("organisation", "source_finding")


def case_get(*, viewer: Viewer, pk: int) -> EnforcementCase:
    c = case_list_visible(viewer=viewer).filter(pk=pk).first()
    if c is None:
        raise NotFound(_("No such enforcement case is visible to you."), field="case")
    return c


# Overview --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    year: int
    key_units: int
    risk_distribution: dict[str, int]  # grade -> producers
    assignments_due: int
    open_findings: int
    open_cases: int


def enforcement_overview(*, viewer: Viewer, year: int, today: date | None = None) -> Overview:
    day = today or timezone.localdate()
    producers = list(
        Organisation.objects.filter(regulated_q(viewer), is_producer=True).values_list(
            "pk", flat=True
        )
    )
    grades = Counter(
        g.grade.value for g in risk_grades_for(organisation_ids=producers, year=year).values()
    )
    return Overview(
        year=year,
        key_units=key_unit_list(viewer=viewer, year=year).count(),
        risk_distribution={g.value: grades.get(g.value, 0) for g in Grade},
        assignments_due=assignment_list_visible(viewer=viewer)
        .filter(status=AssignmentStatus.PLANNED, due_on__lte=day)
        .count(),
        open_findings=Finding.objects.filter(
            regulated_q(viewer, "inspection__organisation"), rectified_at__isnull=True
        ).count(),
        open_cases=EnforcementCase.objects.filter(regulated_q(viewer, "organisation"))
        .exclude(status=CaseStatus.CLOSED)
        .count(),
    )


def member_organisations(*, viewer: Viewer) -> list[Organisation]:
    """The viewer's own organisations, for an enterprise's enforcement page."""
    return list(Organisation.objects.filter(pk__in=viewer.organisation_ids).order_by("name"))
