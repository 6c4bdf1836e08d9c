"""Registry pages render for each role, filter, answer HTMX with a fragment, and hide what the
policy hides."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from tests.registry import factories as f


def _client(user) -> Client:
    """A client that chose English with the language switch (the interface is Chinese-first)."""
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


def test_login_required(world):
    response = Client().get(reverse("registry:organisation_list"))
    assert response.status_code == 302
    assert reverse("web:login") in response["Location"]


@pytest.mark.parametrize(
    "name", ["organisation_list", "facility_list", "permit_list", "vehicle_list", "park_list"]
)
def test_every_list_renders_with_tabs_and_live_search(world, name):
    response = _client(world.admin).get(reverse(f"registry:{name}"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="tabs"' in html
    assert 'hx-trigger="input changed delay:300ms, search"' in html
    assert 'hx-target="#results"' in html and 'hx-push-url="true"' in html
    assert 'class="list responsive"' in html and "data-label=" in html


def test_organisation_list_filters_by_role_region_search_and_mine(world):
    client = _client(world.reg_city)
    url = reverse("registry:organisation_list")
    page = client.get(url, {"role": "carrier"}).content.decode()
    assert "安运物流" in page and "甲化工" not in page
    page = client.get(url, {"region": "330108"}).content.decode()
    assert "甲化工" in page and "西湖制药" not in page
    page = client.get(url, {"q": "制药"}).content.decode()
    assert "西湖制药" in page and "乙电镀" not in page
    page = _client(world.alice).get(url, {"mine": "1"}).content.decode()
    assert "甲化工" in page and "萧山处置" not in page


def test_unknown_region_shows_the_reason(world):
    response = _client(world.admin).get(reverse("registry:organisation_list"), {"region": "99"})
    assert response.status_code == 200
    assert "GB/T 2260" in response.content.decode()


def test_htmx_request_gets_only_the_results(world):
    response = _client(world.admin).get(
        reverse("registry:organisation_list"), {"q": "甲"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "甲化工" in html and "乙电镀" not in html
    assert "<html" not in html and 'class="tabs"' not in html


def test_producer_list_hides_other_producers_and_marks_directory(world):
    html = _client(world.alice).get(reverse("registry:organisation_list")).content.decode()
    assert "甲化工" in html and "安运物流" in html
    assert "乙电镀" not in html
    assert "directory" in html


def test_detail_in_full_for_a_member(world):
    f.make_permit(world.carrier, valid_until=date.today() - timedelta(days=1))
    html = (
        _client(world.kate)
        .get(reverse("registry:organisation_detail", args=[world.carrier.uscc]))
        .content.decode()
    )
    assert "138" in html  # contact phone
    assert world.truck.plate_number in html
    assert "kate" in html  # members
    assert "expired" in html


def test_detail_of_a_directory_entry(world):
    response = _client(world.alice).get(
        reverse("registry:organisation_detail", args=[world.plant.uscc])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="directory-note"' in html
    assert 'data-testid="contact-phone"' not in html and "139" not in html
    assert "P-INC" in html and "P-OFFICE" not in html
    assert world.permit.number in html
    assert "30,000" in html  # capacity, exact
    assert "30.208123, 120.212456" in html  # coordinates


def test_detail_of_an_invisible_organisation_is_404(world):
    client = _client(world.alice)
    url = reverse("registry:organisation_detail", args=[world.prod_b.uscc])
    assert client.get(url).status_code == 404


def test_expiring_permit_is_flagged(world):
    f.make_permit(world.plant, valid_until=date.today() + timedelta(days=20))
    html = _client(world.reg_city).get(reverse("registry:permit_list")).content.decode()
    assert "expiring soon" in html
    filtered = _client(world.reg_city).get(reverse("registry:permit_list"), {"status": "expiring"})
    assert world.permit.number not in filtered.content.decode()


def test_vehicle_list_only_for_full_access(world):
    assert (
        world.truck.plate_number
        in _client(world.kate).get(reverse("registry:vehicle_list")).content.decode()
    )
    assert (
        world.truck.plate_number
        not in _client(world.alice).get(reverse("registry:vehicle_list")).content.decode()
    )


def test_facility_and_park_lists(world):
    client = _client(world.reg108)
    html = client.get(reverse("registry:facility_list"), {"kind": "generation"}).content.decode()
    assert "A-GEN" in html and "P-INC" not in html
    html = client.get(reverse("registry:park_list"), {"q": "滨江"}).content.decode()
    assert "滨江高新园" in html


def test_pages_default_to_chinese(world):
    client = Client()
    client.force_login(world.admin)
    html = client.get(reverse("registry:organisation_list")).content.decode()
    assert "统一社会信用代码" in html
