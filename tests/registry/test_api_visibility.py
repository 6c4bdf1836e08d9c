"""Role scoping through the API: regulators see their region, members their own organisations
plus the service-provider directory, admins everything, nobody nothing."""

from __future__ import annotations

from tests.registry import factories as f

BASE = "/api/v1/registry"


def _names(client, url=f"{BASE}/organisations", **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def test_regulator_sees_its_district_only(world):
    client = f.api_client(world.reg108)
    names = _names(client)
    assert {"甲化工", "乙电镀"} <= names
    assert "西湖制药" not in names  # 330106
    assert client.get(f"{BASE}/organisations/{world.prod_west.uscc}").status_code == 404
    detail = client.get(f"{BASE}/organisations/{world.prod_a.uscc}").json()
    assert detail["access"] == "full"
    assert detail["contact_phone"] == "0571-8888 0000"


def test_regulator_sees_organisations_operating_a_facility_in_its_district(world):
    f.make_facility(world.prod_west, kind="storage", region_code="330108")
    assert "西湖制药" in _names(f.api_client(world.reg108))


def test_city_regulator_sees_every_district(world):
    names = _names(f.api_client(world.reg_city))
    assert {"甲化工", "乙电镀", "西湖制药", "安运物流", "萧山处置"} <= names


def test_producer_does_not_see_other_producers(world):
    client = f.api_client(world.alice)
    names = _names(client)
    assert "甲化工" in names
    assert "乙电镀" not in names and "西湖制药" not in names
    for suffix in ("", "/facilities", "/permits", "/vehicles"):
        response = client.get(f"{BASE}/organisations/{world.prod_b.uscc}{suffix}")
        assert response.status_code == 404, suffix
        assert response.json()["code"] == "not_found"
    facilities = client.get(f"{BASE}/facilities").json()["results"]
    assert "B-GEN" not in {row["code"] for row in facilities}


def test_unknown_and_invisible_answer_alike(world):
    client = f.api_client(world.alice)
    invisible = client.get(f"{BASE}/organisations/{world.prod_b.uscc}")
    unknown = client.get(f"{BASE}/organisations/{f.new_uscc()}")
    assert invisible.status_code == unknown.status_code == 404
    assert invisible.json()["code"] == unknown.json()["code"]


def test_producer_sees_the_directory_without_contact_details(world):
    client = f.api_client(world.alice)
    assert {"安运物流", "萧山处置"} <= _names(client)
    carrier = client.get(f"{BASE}/organisations/{world.carrier.uscc}").json()
    assert carrier["access"] == "directory"
    assert carrier["contact_phone"] is None
    assert carrier["legal_representative"] is None
    vehicles = client.get(f"{BASE}/organisations/{world.carrier.uscc}/vehicles")
    assert vehicles.status_code == 403
    assert world.truck.plate_number not in str(client.get(f"{BASE}/vehicles").content)


def test_directory_shows_receiving_facilities_and_permits(world):
    client = f.api_client(world.alice)
    url = f"{BASE}/organisations/{world.plant.uscc}"
    facilities = {row["code"] for row in client.get(f"{url}/facilities").json()["results"]}
    assert facilities == {"P-INC"}  # not the office's generation site
    permits = client.get(f"{url}/permits").json()["results"]
    assert [p["number"] for p in permits] == [world.permit.number]
    assert permits[0]["annual_capacity_t"] == "30000.000000"  # Decimal as a string
    assert permits[0]["validity"] == "valid"


def test_own_organisation_in_full(world):
    client = f.api_client(world.kate)
    carrier = client.get(f"{BASE}/organisations/{world.carrier.uscc}").json()
    assert (carrier["access"], carrier["contact_phone"]) == ("full", "138")
    vehicles = client.get(f"{BASE}/organisations/{world.carrier.uscc}/vehicles").json()
    assert [v["plate_number"] for v in vehicles["results"]] == [world.truck.plate_number]
    assert vehicles["results"][0]["payload_t"] == "8.000000"
    assert _names(client, mine=True) == {"安运物流"}


def test_admin_sees_everything(world):
    client = f.api_client(world.admin)
    assert _names(client) >= {"甲化工", "乙电镀", "西湖制药", "安运物流", "萧山处置"}
    assert client.get(f"{BASE}/vehicles").json()["count"] == 1


def test_user_without_role_sees_nothing(world):
    client = f.api_client(world.nobody)
    assert _names(client) == set()
    assert client.get(f"{BASE}/facilities").json()["count"] == 0
    assert client.get(f"{BASE}/permits").json()["count"] == 0
    assert client.get(f"{BASE}/organisations/{world.carrier.uscc}").status_code == 404


def test_list_filters(world):
    client = f.api_client(world.reg_city)
    assert _names(client, role="carrier") == {"安运物流"}
    assert _names(client, role="treatment") == {"萧山处置"}
    assert _names(client, region_code="330106") == {"西湖制药", "安运物流"}
    assert _names(client, search="电镀") == {"乙电镀"}
    assert _names(client, search=world.plant.uscc[:12]) == {"萧山处置"}
    assert _names(client, park=world.park.pk) == {"甲化工"}
    bad = client.get(f"{BASE}/organisations", {"role": "wizard"})
    assert (bad.status_code, bad.json()["field"]) == (400, "role")
    bad = client.get(f"{BASE}/organisations", {"region_code": "999999"})
    assert (bad.status_code, bad.json()["field"]) == (400, "region_code")


def test_pagination(world):
    page = f.api_client(world.admin).get(f"{BASE}/organisations", {"page_size": 2}).json()
    assert page["count"] == 5 and len(page["results"]) == 2
    assert "page=2" in page["next"] and page["previous"] is None


def test_facility_coordinates_are_strings(world):
    rows = f.api_client(world.reg108).get(f"{BASE}/facilities").json()["results"]
    row = next(r for r in rows if r["code"] == "A-GEN")
    assert (row["latitude"], row["longitude"]) == ("30.208123", "120.212456")
    assert row["organisation"] == {"uscc": world.prod_a.uscc, "name": "甲化工"}


def test_permit_status_filter(world):
    client = f.api_client(world.admin)
    assert client.get(f"{BASE}/permits", {"status": "expired"}).json()["count"] == 0
    assert client.get(f"{BASE}/permits", {"status": "valid"}).json()["count"] == 1


def test_parks_and_regions_are_public_reference_data(world):
    client = f.api_client(world.nobody)
    parks = client.get(f"{BASE}/parks").json()["results"]
    assert [p["name"] for p in parks] == ["滨江高新园"]
    children = client.get(f"{BASE}/regions", {"parent": "3301", "page_size": "50"}).json()
    assert "330108" in {r["code"] for r in children["results"]}
    assert all(r["parent_code"] == "330100" for r in children["results"])
    found = client.get(f"{BASE}/regions", {"search": "滨江"}).json()["results"]
    assert found[0]["code"] == "330108"


def test_me(world):
    me = f.api_client(world.kate).get(f"{BASE}/me").json()
    assert me["username"] == "kate"
    assert me["roles"] == ["carrier"]
    assert me["memberships"] == [
        {"organisation": {"uscc": world.carrier.uscc, "name": "安运物流"}, "role": "admin"}
    ]
    regulator = f.api_client(world.reg108).get(f"{BASE}/me").json()
    assert regulator["roles"] == ["regulator"]
    assert regulator["regulator_scopes"][0]["region"] == {"code": "330108", "name": "滨江区"}
