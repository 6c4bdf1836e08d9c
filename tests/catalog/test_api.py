"""The catalog API: its public shape, pagination, authentication and JSON errors."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

BASE = "/api/v1/catalog"


def test_search_answers_the_public_shape(api: Client) -> None:
    response = api.get(f"{BASE}/hazardous-codes", {"search": "900-249-08"})

    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"count", "page", "page_size", "next", "previous", "results"}
    assert body["count"] == 1
    (oil,) = body["results"]
    assert oil["code"] == "900-249-08"
    assert oil["category"] == "HW08"
    assert oil["category_name"] == "废矿物油与含矿物油废物"
    assert oil["industry_source"] == "非特定行业"
    assert oil["description"].startswith("其他生产、销售、使用过程中产生的废矿物油")
    assert oil["hazard_characteristics"] == ["T", "I"]
    assert oil["edition"] == 2021
    assert oil["exemptions"][0]["item_no"] == 8
    assert set(oil["exemptions"][0]) == {"item_no", "stage", "condition", "content"}


def test_search_pages_through_results(api: Client) -> None:
    first = api.get(f"{BASE}/hazardous-codes", {"search": "废矿物油", "page_size": "10"}).json()
    assert first["count"] >= 32 and len(first["results"]) == 10
    assert first["previous"] is None and "page=2" in first["next"]

    second = api.get(first["next"]).json()
    assert second["page"] == 2 and "page=1" in second["previous"]
    codes = [r["code"] for r in first["results"] + second["results"]]
    assert codes == sorted(codes) and len(set(codes)) == 20


def test_filters_combine(api: Client) -> None:
    body = api.get(
        f"{BASE}/hazardous-codes", {"category": "HW49", "characteristic": "In", "edition": "2021"}
    ).json()
    assert body["count"] >= 2
    assert all(
        r["category"] == "HW49" and "In" in r["hazard_characteristics"] for r in body["results"]
    )


def test_a_bad_filter_is_a_json_validation_error(api: Client) -> None:
    response = api.get(f"{BASE}/hazardous-codes", {"characteristic": "X"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_authentication_is_required(db: None) -> None:
    response = Client().get(f"{BASE}/hazardous-codes")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    bad_token = Client(HTTP_AUTHORIZATION="Bearer wf_not-a-token")
    assert bad_token.get(f"{BASE}/editions").status_code == 401


def test_a_signed_in_browser_session_is_accepted(browser: Client) -> None:
    assert browser.get(f"{BASE}/editions").status_code == 200


def test_an_unknown_edition_is_a_json_404(api: Client) -> None:
    response = api.get(f"{BASE}/hazardous-codes", {"edition": "1999"})
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found" and body["field"] == "edition"
    assert "1999" in body["message"]


def test_code_detail(api: Client) -> None:
    body = api.get(f"{BASE}/hazardous-codes/841-001-01").json()
    assert body["code"] == "841-001-01" and body["category"] == "HW01"
    assert body["hazard_notation"] == "In" and body["source_page"] == 3
    assert body["edition_title"] == "国家危险废物名录（2021年版）"
    assert {e["item_no"] for e in body["exemptions"]} == {2, 3}

    missing = api.get(f"{BASE}/hazardous-codes/999-999-99")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_editions_categories_and_exemptions(api: Client) -> None:
    (edition,) = api.get(f"{BASE}/editions").json()
    assert edition["year"] == 2021 and edition["code_count"] == 467
    assert edition["category_count"] == 46 and edition["in_force"] is False

    categories = api.get(f"{BASE}/categories", {"edition": "2021"}).json()
    assert len(categories) == 46
    assert categories[7] == {"code": "HW08", "name": "废矿物油与含矿物油废物", "edition": 2021,
                             "code_count": 32}  # fmt: skip

    exemptions = api.get(f"{BASE}/exemptions").json()
    assert len(exemptions) == 57
    tar = next(e for e in exemptions if e["item_no"] == 10)
    assert tar["codes"] == ["252-002-11", "252-017-11", "451-003-11"]
    clinics = next(e for e in exemptions if e["item_no"] == 2)
    assert clinics["categories"] == ["HW01"] and clinics["codes"] == []


def test_waste_classes_and_treatment_methods(api: Client) -> None:
    household = api.get(f"{BASE}/waste-classes", {"stream": "household"}).json()
    assert [c["name"] for c in household] == ["可回收物", "有害垃圾", "厨余垃圾", "其他垃圾"]
    sw = api.get(f"{BASE}/waste-classes", {"stream": "general_industrial"}).json()
    assert len(sw) == 18 and not any(c["verified"] for c in sw)
    assert len(api.get(f"{BASE}/waste-classes").json()) == 37
    assert api.get(f"{BASE}/waste-classes", {"stream": "nope"}).status_code == 422

    methods = api.get(f"{BASE}/treatment-methods").json()
    assert methods[0]["code"] == "R1" and methods[0]["kind"] == "utilisation"
    assert not any(m["verified"] for m in methods)


def test_the_openapi_document_describes_the_catalog(api: Client) -> None:
    document = api.get("/api/v1/openapi.json").json()
    assert "/api/v1/catalog/hazardous-codes" in document["paths"]
    schema = document["components"]["schemas"]["HazardousCodeOut"]
    assert {"code", "category", "description", "industry_source", "hazard_characteristics"} <= set(
        schema["properties"]
    )
