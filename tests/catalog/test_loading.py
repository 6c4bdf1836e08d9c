"""The shipped catalogs load completely, link the exemption list, and load only once."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command

from wufei.catalog.loading import catalog_load_shipped
from wufei.catalog.models import (
    CatalogEdition,
    Exemption,
    HazardousCategory,
    HazardousCode,
    TreatmentMethod,
    WasteClass,
)
from wufei.catalog.selectors import current_edition, edition_for_year
from wufei.core.errors import NotFound

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition() -> CatalogEdition:
    return CatalogEdition.objects.get(year=2021)


def test_the_2021_edition_has_its_official_metadata(edition: CatalogEdition) -> None:
    assert edition.title == "国家危险废物名录（2021年版）"
    assert "第15号" in edition.instrument
    assert edition.effective_from == date(2021, 1, 1)
    assert edition.effective_until == date(2024, 12, 31)


def test_467_codes_in_46_categories(edition: CatalogEdition) -> None:
    assert edition.codes.count() == 467
    categories = set(edition.categories.values_list("code", flat=True))
    assert len(categories) == 46
    # HW01…HW40 and HW45…HW50: the list has no HW41–HW44.
    expected = {f"HW{n:02d}" for n in [*range(1, 41), *range(45, 51)]}
    assert categories == expected


def test_each_category_has_the_number_of_codes_of_the_official_table(
    edition: CatalogEdition, shipped_categories: list[dict[str, str]]
) -> None:
    loaded = Counter(edition.codes.values_list("category__code", flat=True))
    published = {row["category_code"]: int(row["num_waste_codes"]) for row in shipped_categories}
    assert loaded == published
    assert loaded["HW08"] == 32 and loaded["HW49"] == 11 and loaded["HW50"] == 44


def test_every_code_carries_its_category_number(edition: CatalogEdition) -> None:
    for code in edition.codes.select_related("category"):
        assert code.code[-2:] == code.category.code[2:]
        assert set(code.characteristics) <= {"T", "C", "I", "R", "In"}


def test_characteristics_keep_the_published_notation(edition: CatalogEdition) -> None:
    oil = edition.codes.get(code="900-249-08")
    assert oil.hazard_characteristics == "T,I"
    assert oil.characteristics == ["T", "I"]
    packaging = edition.codes.get(code="900-041-49")
    assert packaging.characteristics == ["T", "In"]


def test_the_exemption_list_is_linked_to_codes_and_categories(edition: CatalogEdition) -> None:
    rows = Exemption.objects.filter(edition=edition)
    assert rows.count() == 57
    assert sorted(set(rows.values_list("item_no", flat=True))) == list(range(1, 33))

    household = rows.filter(item_no=1)
    assert household.count() == 2
    assert all(not e.codes.exists() and not e.categories.exists() for e in household)

    clinics = rows.filter(item_no=2)
    assert {c.code for e in clinics for c in e.categories.all()} == {"HW01"}

    packaging = rows.get(item_no=24)
    assert [c.code for c in packaging.codes.all()] == ["900-041-49"]

    tar = rows.filter(item_no=10)
    assert tar.count() == 4
    for row in tar:
        assert sorted(c.code for c in row.codes.all()) == [
            "252-002-11",
            "252-017-11",
            "451-003-11",
        ]
    point_to_point = rows.get(item_no=32)
    assert not point_to_point.codes.exists() and not point_to_point.categories.exists()


def test_non_hazardous_classes_are_loaded_with_their_status() -> None:
    per_stream = Counter(WasteClass.objects.values_list("stream", flat=True))
    assert per_stream == {
        "general_industrial": 18,
        "household": 4,
        "construction": 5,
        "medical": 5,
        "agricultural": 5,
    }
    household = WasteClass.objects.filter(stream="household")
    assert set(household.values_list("name", flat=True)) == {
        "可回收物",
        "有害垃圾",
        "厨余垃圾",
        "其他垃圾",
    }
    assert not WasteClass.objects.filter(stream="general_industrial", verified=True).exists()
    assert WasteClass.objects.get(stream="agricultural", code="dead_livestock").verified is False


def test_medical_classes_point_at_existing_hw01_codes(edition: CatalogEdition) -> None:
    medical = WasteClass.objects.filter(stream="medical")
    codes = dict(medical.values_list("name", "hazardous_code"))
    assert codes["感染性废物"] == "841-001-01"
    assert codes["药物性废物"] == "841-005-01"
    for name, code in codes.items():
        assert edition.codes.get(code=code).description == name


def test_treatment_methods_are_marked_unverified() -> None:
    codes = set(TreatmentMethod.objects.values_list("code", flat=True))
    assert {"R1", "R4", "R9", "R15", "D1", "D9", "D10", "D16", "C1"} <= codes
    assert not TreatmentMethod.objects.filter(verified=True).exists()


MODELS = (CatalogEdition, HazardousCategory, HazardousCode, Exemption, WasteClass, TreatmentMethod)


def _pks() -> dict[str, list[int]]:
    return {m.__name__: sorted(m.objects.values_list("pk", flat=True)) for m in MODELS}


def test_loading_again_changes_and_duplicates_nothing() -> None:
    before = _pks()
    links = Exemption.codes.through.objects.count()

    report = catalog_load_shipped(verbosity=0)
    call_command("load_catalogs", verbosity=0)

    assert not report.changed
    assert report.edition.codes.unchanged == 467
    assert _pks() == before
    assert Exemption.codes.through.objects.count() == links


def test_loading_repairs_a_changed_row() -> None:
    code = HazardousCode.objects.get(edition__year=2021, code="900-249-08")
    HazardousCode.objects.filter(pk=code.pk).update(description="changed by hand")

    report = catalog_load_shipped(verbosity=0)

    assert report.edition.codes.updated == 1
    code.refresh_from_db()
    assert code.description.startswith("其他生产、销售、使用过程中产生的废矿物油")


def test_current_edition_falls_back_to_the_latest_loaded() -> None:
    # The 2021 edition ended on 2024-12-31 and no later edition is loaded.
    assert current_edition(on=date(2023, 6, 1)).year == 2021  # type: ignore[union-attr]
    assert current_edition(on=date(2026, 1, 1)).year == 2021  # type: ignore[union-attr]


def test_an_unknown_edition_year_is_not_found() -> None:
    assert edition_for_year(None).year == 2021
    with pytest.raises(NotFound) as caught:
        edition_for_year(1999)
    assert "1999" in caught.value.message and "2021" in caught.value.message
