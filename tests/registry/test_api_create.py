"""POST /api/v1/registry/organisations: the public contract for registering an organisation."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.registry import factories as f
from wufei.accounts.models import Membership, MembershipRole
from wufei.registry.models import Organisation

URL = "/api/v1/registry/organisations"


def _post(client: Client, **body):
    return client.post(URL, body, content_type="application/json")


@pytest.fixture
def body():
    return {
        "uscc": f.new_uscc("330108"),
        "name": "杭州绿源环保科技有限公司",
        "region_code": "330108",
        "address": "滨江区江南大道1号",
        "industry_code": "N7724",
        "industry_name": "危险废物治理",
        "is_treatment": True,
        "contact_phone": "0571-1234 5678",
        "legal_representative": "李四",
    }


def test_self_registration_makes_the_user_its_administrator(world, body):
    response = _post(f.api_client(world.nobody), **body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["uscc"] == body["uscc"]
    assert data["name"] == body["name"]
    assert data["region"] == {"code": "330108", "name": "滨江区"}
    assert data["is_treatment"] is True and data["is_producer"] is False
    assert data["access"] == "full"
    assert data["contact_phone"] == "0571-1234 5678"
    org = Organisation.objects.get(uscc=body["uscc"])
    membership = Membership.objects.get(organisation=org)
    assert (membership.user, membership.role) == (world.nobody, MembershipRole.ADMIN)


def test_lower_case_code_is_normalised(world, body):
    body["uscc"] = body["uscc"].lower()
    response = _post(f.api_client(world.admin), **body)
    assert response.status_code == 201
    assert response.json()["uscc"] == body["uscc"].upper()


def test_regulator_registers_inside_its_region_without_becoming_member(world, body):
    response = _post(f.api_client(world.reg_city), **body)
    assert response.status_code == 201
    assert not Membership.objects.filter(organisation__uscc=body["uscc"]).exists()


def test_invalid_uscc_is_400_naming_the_check(world, body):
    body["uscc"] = body["uscc"][:-1] + ("0" if body["uscc"][-1] != "0" else "1")
    response = _post(f.api_client(world.alice), **body)
    assert response.status_code == 400
    error = response.json()
    assert error["field"] == "uscc"
    assert error["code"] in {"uscc_checksum", "uscc_format"}
    assert "GB 32100-2015" in error["message"]


def test_short_uscc_is_400_length(world, body):
    body["uscc"] = "91330108"
    error = _post(f.api_client(world.alice), **body).json()
    assert (error["code"], error["field"]) == ("uscc_length", "uscc")


def test_duplicate_uscc_is_409(world, body):
    body["uscc"] = world.prod_a.uscc
    response = _post(f.api_client(world.admin), **body)
    assert response.status_code == 409
    assert response.json()["code"] == "uscc_taken"
    assert response.json()["field"] == "uscc"


def test_unknown_region_is_400(world, body):
    body["region_code"] = "339999"
    response = _post(f.api_client(world.admin), **body)
    assert response.status_code == 400
    assert response.json()["field"] == "region_code"
    assert response.json()["code"] == "unknown_region"


def test_missing_name_is_422_naming_the_field(world, body):
    del body["name"]
    response = _post(f.api_client(world.admin), **body)
    assert response.status_code == 422
    assert response.json()["field"] == "name"


def test_blank_name_is_400(world, body):
    body["name"] = "  "
    response = _post(f.api_client(world.admin), **body)
    assert response.status_code == 400
    assert response.json()["field"] == "name"


def test_without_token_is_401(world, body):
    response = _post(Client(), **body)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert not Organisation.objects.filter(uscc=body["uscc"]).exists()


def test_bad_token_is_401(world, body):
    response = _post(Client(HTTP_AUTHORIZATION="Bearer wf_nope"), **body)
    assert response.status_code == 401


def test_regulator_outside_its_region_is_403(world, body):
    body["region_code"] = "330106"
    response = _post(f.api_client(world.reg108), **body)
    assert response.status_code == 403
    assert "西湖区" in response.json()["message"]
    assert not Organisation.objects.filter(uscc=body["uscc"]).exists()


def test_unknown_park_is_400(world, body):
    body["park_id"] = 999999
    response = _post(f.api_client(world.admin), **body)
    assert (response.status_code, response.json()["field"]) == (400, "park_id")


def test_park_is_linked(world, body):
    body["park_id"] = world.park.pk
    data = _post(f.api_client(world.admin), **body).json()
    assert (data["park_id"], data["park_name"]) == (world.park.pk, "滨江高新园")
