"""Searching the list the way people type: names, codes or parts of codes, categories."""

from __future__ import annotations

import pytest

from wufei.catalog.models import CatalogEdition
from wufei.catalog.selectors import code_detail, hazardous_code_search
from wufei.core.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition() -> CatalogEdition:
    return CatalogEdition.objects.get(year=2021)


def codes(edition: CatalogEdition, **kwargs: str) -> list[str]:
    return [c.code for c in hazardous_code_search(edition=edition, **kwargs)]


def test_a_name_finds_the_category_and_the_descriptions(edition: CatalogEdition) -> None:
    found = hazardous_code_search(edition=edition, text="废矿物油")
    by_code = {c.code: c for c in found}
    hw08 = set(edition.codes.filter(category__code="HW08").values_list("code", flat=True))
    assert hw08 <= set(by_code)  # the category is 废矿物油与含矿物油废物
    assert "900-249-08" in by_code
    for code in found:
        assert "废矿物油" in code.description + code.category.name + code.industry_source
    assert list(by_code) == sorted(by_code)


def test_a_full_code_finds_exactly_that_code(edition: CatalogEdition) -> None:
    assert codes(edition, text="900-249-08") == ["900-249-08"]
    assert codes(edition, text=" 900-249-08 ") == ["900-249-08"]


def test_a_code_quoted_in_another_description_does_not_match(edition: CatalogEdition) -> None:
    # 900-039-49's description excludes "900-405-06"; searching that code finds only itself.
    assert codes(edition, text="900-405-06") == ["900-405-06"]


def test_part_of_a_code_finds_every_code_containing_it(edition: CatalogEdition) -> None:
    assert codes(edition, text="900-249") == ["900-249-08"]
    assert codes(edition, text="249-08") == ["900-249-08"]
    found = codes(edition, text="841-")
    assert found == ["841-001-01", "841-002-01", "841-003-01", "841-004-01", "841-005-01"]


def test_a_category_code_lists_the_category_in_any_case(edition: CatalogEdition) -> None:
    hw49 = codes(edition, text="HW49")
    assert len(hw49) == 11
    assert all(code.endswith("-49") for code in hw49)
    assert codes(edition, text="hw49") == hw49


def test_several_terms_must_all_match(edition: CatalogEdition) -> None:
    assert codes(edition, text="HW08 900-249") == ["900-249-08"]
    both = hazardous_code_search(edition=edition, text="废矿物油 包装物")
    assert both.count() >= 1
    for code in both:
        text = code.description + code.category.name + code.industry_source
        assert "包装物" in text and "废矿物油" in text
    assert codes(edition, text="HW49 900-249") == []


def test_filters_by_category_characteristic_and_industry(edition: CatalogEdition) -> None:
    assert len(codes(edition, category="hw01")) == 5
    infectious = hazardous_code_search(edition=edition, characteristic="In")
    assert {"841-001-01", "900-041-49"} <= {c.code for c in infectious}
    ignitable = hazardous_code_search(edition=edition, characteristic="I")
    assert all("I" in c.characteristics for c in ignitable)
    assert "841-001-01" not in {c.code for c in ignitable}  # In is not I
    assert codes(edition, text="废矿物油", industry="精炼石油") != []
    with pytest.raises(ValidationFailed):
        hazardous_code_search(edition=edition, characteristic="X")


def test_nothing_matches_gives_an_empty_result(edition: CatalogEdition) -> None:
    assert codes(edition, text="不存在的废物名称") == []


def test_code_detail_includes_exemptions_of_the_code_and_its_category(
    edition: CatalogEdition,
) -> None:
    infectious = code_detail(edition=edition, code="841-001-01")
    items = [(e.item_no, e.stage) for e in infectious.applicable_exemptions()]
    # Item 2 names all of HW01 (small clinics, epidemics); item 3 names 841-001-01 itself.
    assert (2, "收集") in items and (3, "运输") in items and (3, "处置") in items
    assert items == sorted(items, key=lambda i: i[0])
    assert code_detail(edition=edition, code="900-249-08").applicable_exemptions()[0].item_no == 8
    assert code_detail(edition=edition, code="071-001-08").applicable_exemptions() == []


def test_code_detail_of_an_unknown_code_is_not_found(edition: CatalogEdition) -> None:
    with pytest.raises(NotFound):
        code_detail(edition=edition, code="999-999-99")
