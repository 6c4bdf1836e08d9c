"""API shapes of the catalogs. `HazardousCodeOut` is a public contract: keep its keys."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.utils import timezone
from ninja import Field, Schema

from wufei.catalog.models import CatalogEdition, Exemption, HazardousCategory, HazardousCode

Characteristic = Literal["T", "C", "I", "R", "In"]


class EditionOut(Schema):
    year: int
    title: str
    instrument: str
    effective_from: date
    effective_until: date | None
    in_force: bool = Field(..., description="in force today (Asia/Shanghai)")
    code_count: int
    category_count: int
    source: str

    @staticmethod
    def resolve_in_force(obj: CatalogEdition) -> bool:
        return obj.in_force_on(timezone.localdate())


class CategoryOut(Schema):
    code: str = Field(..., description="HW01 … HW50")
    name: str
    edition: int
    code_count: int

    @staticmethod
    def resolve_edition(obj: HazardousCategory) -> int:
        return obj.edition.year


class ExemptionBrief(Schema):
    item_no: int = Field(..., description="item of the 危险废物豁免管理清单")
    stage: str = Field(..., description="exempt stage (豁免环节), e.g. 运输, 利用")
    condition: str = Field(..., description="exemption condition (豁免条件)")
    content: str = Field(..., description="what is exempted (豁免内容)")


class ExemptionOut(ExemptionBrief):
    subject: str = Field(..., description="category, codes or text as written in the list")
    waste: str = Field(..., description="the hazardous waste concerned")
    codes: list[str]
    categories: list[str]
    edition: int
    source_page: int | None

    @staticmethod
    def resolve_codes(obj: Exemption) -> list[str]:
        return [c.code for c in obj.codes.all()]

    @staticmethod
    def resolve_categories(obj: Exemption) -> list[str]:
        return [c.code for c in obj.categories.all()]

    @staticmethod
    def resolve_edition(obj: Exemption) -> int:
        return obj.edition.year


class HazardousCodeOut(Schema):
    code: str = Field(..., description="eight-digit waste code, e.g. 900-249-08")
    category: str = Field(..., description="waste category, e.g. HW08")
    category_name: str
    description: str
    industry_source: str
    hazard_characteristics: list[Characteristic] = Field(
        ..., description="T toxicity, C corrosivity, I ignitability, R reactivity, In infectivity"
    )
    edition: int = Field(..., description="edition year of the list")
    exemptions: list[ExemptionBrief] = Field(
        ..., description="exemption conditions naming this code or its category"
    )

    @staticmethod
    def resolve_category(obj: HazardousCode) -> str:
        return obj.category.code

    @staticmethod
    def resolve_category_name(obj: HazardousCode) -> str:
        return obj.category.name

    @staticmethod
    def resolve_hazard_characteristics(obj: HazardousCode) -> list[str]:
        return obj.characteristics

    @staticmethod
    def resolve_edition(obj: HazardousCode) -> int:
        return obj.edition.year

    @staticmethod
    def resolve_exemptions(obj: HazardousCode) -> list[Exemption]:
        return obj.applicable_exemptions()


class HazardousCodeDetail(HazardousCodeOut):
    hazard_notation: str = Field(..., description="the characteristics as printed, e.g. T,I")
    source_page: int | None = Field(..., description="page of the official text")
    edition_title: str

    @staticmethod
    def resolve_hazard_notation(obj: HazardousCode) -> str:
        return obj.hazard_characteristics

    @staticmethod
    def resolve_edition_title(obj: HazardousCode) -> str:
        return obj.edition.title


class WasteClassOut(Schema):
    stream: str
    code: str
    name: str
    description: str
    hazardous_code: str = Field(..., description="the national-list code it is managed under")
    source: str
    verified: bool = Field(..., description="False: not confirmed against the official text")


class TreatmentMethodOut(Schema):
    code: str = Field(..., description="利用/处置方式 code, e.g. R4, D10")
    name: str
    kind: str
    source: str
    verified: bool = Field(..., description="False: not confirmed against the official text")
