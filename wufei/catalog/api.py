"""Catalog endpoints under /api/v1/catalog/. Thin: parse, call a selector, answer.

The catalogs are public law, but the API is for signed-in callers like every endpoint (the
NinjaAPI sets the authentication). (No `from __future__ import annotations`: django-ninja reads
the parameter annotations at runtime.)
"""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from wufei.api.pagination import PageNumber
from wufei.catalog import selectors
from wufei.catalog.models import (
    CatalogEdition,
    Exemption,
    HazardousCategory,
    HazardousCode,
    Stream,
    TreatmentMethod,
    WasteClass,
)
from wufei.catalog.schemas import (
    CategoryOut,
    Characteristic,
    EditionOut,
    ExemptionOut,
    HazardousCodeDetail,
    HazardousCodeOut,
    TreatmentMethodOut,
    WasteClassOut,
)

router = Router()


class EditionParam(Schema):
    edition: int | None = Field(None, description="edition year; default: the edition in force")


class CodeFilters(EditionParam):
    search: str = Field(
        "",
        description="code or part of it (900-249-08, 900-249), category (HW49) or words "
        "(废矿物油); several terms separated by spaces must all match",
    )
    category: str = Field("", pattern=r"^$|^[Hh][Ww]\d{2}$", description="e.g. HW08")
    characteristic: Characteristic | None = Field(None, description="T, C, I, R or In")
    industry: str = Field("", description="words of the industry source, e.g. 精炼石油")


class ClassFilters(Schema):
    stream: Stream | None = Field(None, description="one waste stream; default: all")


@router.get("/hazardous-codes", response=list[HazardousCodeOut], summary="Search waste codes")
@paginate(PageNumber)
def list_hazardous_codes(
    request: HttpRequest, filters: Query[CodeFilters]
) -> QuerySet[HazardousCode]:
    """Codes of the 国家危险废物名录, ordered by code, with the exemptions that apply."""
    edition = selectors.edition_for_year(filters.edition)
    return selectors.hazardous_code_search(
        edition=edition,
        text=filters.search,
        category=filters.category,
        characteristic=filters.characteristic or "",
        industry=filters.industry,
    )


@router.get("/hazardous-codes/{code}", response=HazardousCodeDetail, summary="One waste code")
def get_hazardous_code(
    request: HttpRequest, code: str, filters: Query[EditionParam]
) -> HazardousCode:
    edition = selectors.edition_for_year(filters.edition)
    return selectors.code_detail(edition=edition, code=code)


@router.get("/editions", response=list[EditionOut], summary="Loaded editions of the list")
def list_editions(request: HttpRequest) -> QuerySet[CatalogEdition]:
    return selectors.edition_list()


@router.get("/categories", response=list[CategoryOut], summary="Waste categories HW01…HW50")
def list_categories(
    request: HttpRequest, filters: Query[EditionParam]
) -> QuerySet[HazardousCategory]:
    return selectors.category_list(edition=selectors.edition_for_year(filters.edition))


@router.get("/exemptions", response=list[ExemptionOut], summary="危险废物豁免管理清单")
def list_exemptions(request: HttpRequest, filters: Query[EditionParam]) -> QuerySet[Exemption]:
    return selectors.exemption_list(edition=selectors.edition_for_year(filters.edition))


@router.get("/waste-classes", response=list[WasteClassOut], summary="Classes of other streams")
def list_waste_classes(request: HttpRequest, filters: Query[ClassFilters]) -> QuerySet[WasteClass]:
    return selectors.waste_class_list(stream=filters.stream.value if filters.stream else None)


@router.get("/treatment-methods", response=list[TreatmentMethodOut], summary="利用/处置方式 codes")
def list_treatment_methods(request: HttpRequest) -> QuerySet[TreatmentMethod]:
    return selectors.treatment_method_list()
