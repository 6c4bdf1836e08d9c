"""Reading the catalogs: which edition applies, and searching its codes."""

from __future__ import annotations

import re
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.catalog.models import (
    HAZARD_CHARACTERISTICS,
    CatalogEdition,
    Exemption,
    HazardousCategory,
    HazardousCode,
    Stream,
    TreatmentMethod,
    WasteClass,
)
from wufei.core.errors import NotFound, ValidationFailed

CODE_FRAGMENT = re.compile(r"^[\d-]*\d[\d-]*$")  # 900-249-08, 900-249, 249-08
CATEGORY_FRAGMENT = re.compile(r"^HW\d{0,2}$")

# The streams with their own classification, in the order the catalog pages show them.
CLASS_STREAMS = (
    Stream.GENERAL_INDUSTRIAL,
    Stream.HOUSEHOLD,
    Stream.CONSTRUCTION,
    Stream.MEDICAL,
    Stream.AGRICULTURAL,
)


def current_edition(*, on: date | None = None) -> CatalogEdition | None:
    """The edition in force on `on` (today by default), else the latest loaded edition."""
    day = on or timezone.localdate()
    in_force = (
        CatalogEdition.objects.filter(effective_from__lte=day)
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=day))
        .order_by("-effective_from")
        .first()
    )
    return in_force or CatalogEdition.objects.order_by("-year").first()


def edition_list() -> QuerySet[CatalogEdition]:
    return CatalogEdition.objects.annotate(
        code_count=Count("codes", distinct=True),
        category_count=Count("categories", distinct=True),
    ).order_by("-year")


def edition_for_year(year: int | None) -> CatalogEdition:
    """The edition of `year`, or the current one when `year` is None."""
    if year is None:
        edition = current_edition()
        if edition is None:
            raise NotFound(
                _("No edition of the National Hazardous Waste List is loaded."), field="edition"
            )
        return edition
    edition = CatalogEdition.objects.filter(year=year).first()
    if edition is None:
        loaded = ", ".join(str(y) for y in CatalogEdition.objects.values_list("year", flat=True))
        raise NotFound(
            _(
                "Edition %(year)s of the National Hazardous Waste List is not loaded "
                "(loaded: %(loaded)s)."
            )
            % {"year": year, "loaded": loaded or "—"},
            field="edition",
        )
    return edition


def _term_filter(term: str) -> Q:
    upper = term.upper()
    if CATEGORY_FRAGMENT.match(upper):
        if len(upper) == 4:
            return Q(category__code=upper)
        return Q(category__code__startswith=upper)
    if CODE_FRAGMENT.match(term):
        # A code or part of one matches the code only, not codes quoted in other descriptions.
        return Q(code__contains=term)
    return (
        Q(description__icontains=term)
        | Q(industry_source__icontains=term)
        | Q(category__name__icontains=term)
    )


def _with_exemptions(queryset: QuerySet[HazardousCode]) -> QuerySet[HazardousCode]:
    return queryset.select_related("category", "edition").prefetch_related(
        Prefetch("exemptions", queryset=Exemption.objects.order_by("position")),
        Prefetch("category__exemptions", queryset=Exemption.objects.order_by("position")),
    )


def hazardous_code_search(
    *,
    edition: CatalogEdition,
    text: str = "",
    category: str = "",
    characteristic: str = "",
    industry: str = "",
) -> QuerySet[HazardousCode]:
    """Codes of `edition` matching every whitespace-separated term of `text` and the filters.

    A term is a code or part of one ("900-249-08", "900-249", "249-08"), a category ("HW49",
    "hw49"), or words found in the description, industry source or category name ("废矿物油").
    """
    queryset = HazardousCode.objects.filter(edition=edition)
    for term in text.split():
        queryset = queryset.filter(_term_filter(term))
    if category.strip():
        queryset = queryset.filter(category__code=category.strip().upper())
    if characteristic:
        if characteristic not in HAZARD_CHARACTERISTICS:
            raise ValidationFailed(
                _("Unknown hazard characteristic: use T, C, I, R or In."), field="characteristic"
            )
        # Stored as published ("T,I", "T/In"): match the whole token, so I never matches In.
        queryset = queryset.filter(
            hazard_characteristics__regex=rf"(^|[,/]){characteristic}([,/]|$)"
        )
    if industry.strip():
        queryset = queryset.filter(industry_source__icontains=industry.strip())
    return _with_exemptions(queryset).order_by("code")


def code_detail(*, edition: CatalogEdition, code: str) -> HazardousCode:
    """One code of `edition`, with the exemptions naming it or its category prefetched."""
    found = _with_exemptions(
        HazardousCode.objects.filter(edition=edition, code=code.strip())
    ).first()
    if found is None:
        raise NotFound(
            _("%(code)s is not a waste code of the %(title)s.")
            % {"code": code, "title": edition.title},
            field="code",
        )
    return found


def category_list(*, edition: CatalogEdition) -> QuerySet[HazardousCategory]:
    return (
        HazardousCategory.objects.filter(edition=edition)
        .select_related("edition")
        .annotate(code_count=Count("codes"))
        .order_by("code")
    )


def exemption_list(*, edition: CatalogEdition) -> QuerySet[Exemption]:
    return (
        Exemption.objects.filter(edition=edition)
        .select_related("edition")
        .prefetch_related(
            Prefetch("codes", queryset=HazardousCode.objects.order_by("code")),
            Prefetch("categories", queryset=HazardousCategory.objects.order_by("code")),
        )
        .order_by("position")
    )


def waste_class_list(*, stream: str | None = None) -> QuerySet[WasteClass]:
    queryset = WasteClass.objects.all()
    if stream:
        if stream not in Stream.values:
            raise ValidationFailed(
                _("Unknown waste stream: %(stream)s") % {"stream": stream}, field="stream"
            )
        queryset = queryset.filter(stream=stream)
    return queryset.order_by("stream", "sort_order", "code")


def treatment_method_list() -> QuerySet[TreatmentMethod]:
    return TreatmentMethod.objects.order_by("sort_order", "code")
