"""/api/v1/containers/: scoped like the scan page; registering and labels for the producer."""

from __future__ import annotations

import json

import pytest

from tests.ledger.labels_world import build_shipment, build_world
from tests.registry.factories import api_client


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def shipped(world):
    return build_shipment(world)


def get(user, code: str):
    return api_client(user).get(f"/api/v1/containers/{code}")


def test_unauthenticated_calls_are_refused(world):
    from django.test import Client

    assert Client().get(f"/api/v1/containers/{world.drum.code}").status_code == 401


def test_a_party_gets_the_history(shipped):
    body = get(shipped.kate, shipped.drum.code).json()
    assert body["full"] is True
    assert body["waste_code"] == "900-249-08"
    assert body["manifests"][0]["manifest_number"] == "20243301000042"
    assert body["manifests"][0]["carriers"] == ["安运物流"]
    weights = [s["weight_g"] for s in body["history"] if s["weight_g"]]
    assert 12_500 in weights and 12_480 in weights


@pytest.mark.parametrize("who", ["bob", "nobody", "reg_west"])
def test_others_get_only_the_public_facts(shipped, who):
    response = get(getattr(shipped, who), shipped.drum.code)
    assert response.status_code == 200
    body = response.json()
    assert body["full"] is False
    assert body["producer"] == "甲化工有限公司"
    assert body["history"] is None and body["manifests"] is None
    text = json.dumps(body, ensure_ascii=False)
    for secret in ("12500", "王师傅", "安运物流", "20243301000042", "T-07"):
        assert secret not in text


def test_unknown_code_is_404(world):
    response = get(world.alice, "91330108MA27XK3L4B9002490820240307999")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_register_containers_through_the_api(world):
    response = api_client(world.alice).post(
        "/api/v1/containers/",
        data={
            "organisation_uscc": world.producer.uscc,
            "waste_code": "900-249-08",
            "container_type": "桶",
            "volume_l": "20",
            "generated_on": world.today.isoformat(),
            "count": 2,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert [c["code"][-3:] for c in body] == ["002", "003"]
    assert all(c["full"] for c in body)


def test_registering_for_another_unit_is_not_found(world):
    response = api_client(world.bob).post(
        "/api/v1/containers/",
        data={
            "organisation_uscc": world.producer.uscc,
            "waste_code": "900-249-08",
            "container_type": "桶",
            "volume_l": "20",
            "generated_on": world.today.isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 404


def test_a_refused_registration_names_the_field(world):
    response = api_client(world.alice).post(
        "/api/v1/containers/",
        data={
            "organisation_uscc": world.producer.uscc,
            "waste_code": "900-249-08",
            "container_type": "桶",
            "volume_l": "0",
            "generated_on": world.today.isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "volume_l"


def test_label_pdf_through_the_api(world):
    response = api_client(world.alice).get(f"/api/v1/containers/{world.drum.code}/label.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        api_client(world.bob).get(f"/api/v1/containers/{world.drum.code}/label.pdf").status_code
        == 404
    )
    assert (
        api_client(world.reader).get(f"/api/v1/containers/{world.drum.code}/label.pdf").status_code
        == 403
    )
