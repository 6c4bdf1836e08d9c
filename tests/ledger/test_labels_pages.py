"""Label pages: only the producer's members list, register and print its containers."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from tests.ledger.labels_world import build_world
from wufei.ledger.models import Container


@pytest.fixture
def world(db):
    return build_world()


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf_pages(response):
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content)).pages


def test_anonymous_users_are_sent_to_log_in(world):
    for url in ("/labels/", "/labels/new/", f"/labels/{world.drum.code}.pdf", "/labels/print.pdf"):
        response = Client().get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_members_list_their_containers_and_no_one_elses(world):
    html = as_user(world.alice).get("/labels/").content.decode()
    assert world.drum.code in html
    other = as_user(world.bob).get("/labels/").content.decode()
    assert world.drum.code not in other
    assert 'data-testid="no-containers"' in other
    regulator = as_user(world.reg108).get("/labels/").content.decode()
    assert world.drum.code not in regulator


def test_registering_a_batch_shows_exactly_the_new_containers(world):
    client = as_user(world.alice)
    response = client.post(
        "/labels/new/",
        {
            "organisation": world.producer.uscc,
            "waste_code": "900-249-08",
            "container_type": "吨袋",
            "volume_l": "1000",
            "generated_on": world.today.isoformat(),
            "count": "3",
            "internal_code": "",
        },
    )
    assert response.status_code == 302
    new = list(Container.objects.filter(container_type="吨袋").order_by("sequence"))
    assert [c.sequence for c in new] == [2, 3, 4]
    listing = client.get(response["Location"]).content.decode()
    for container in new:
        assert container.code in listing
    assert world.drum.code not in listing  # sequence 1 is outside the new range
    # the print button prints exactly those: 3 containers over 450 L, two labels each
    query = response["Location"].split("?", 1)[1]
    pages = pdf_pages(client.get(f"/labels/print.pdf?{query}"))
    assert len(pages) == 6


def test_refused_registrations_show_the_rule_on_the_form(world):
    response = as_user(world.alice).post(
        "/labels/new/",
        {
            "organisation": world.producer.uscc,
            "waste_code": "999-999-99",
            "container_type": "桶",
            "volume_l": "20",
            "generated_on": world.today.isoformat(),
            "count": "1",
        },
    )
    assert response.status_code == 200
    assert "999-999-99" in response.content.decode()
    assert Container.objects.count() == 1


def test_the_register_page_offers_only_organisations_one_acts_for(world):
    response = as_user(world.bob).post(
        "/labels/new/",
        {
            "organisation": world.producer.uscc,
            "waste_code": "900-249-08",
            "container_type": "桶",
            "volume_l": "20",
            "generated_on": world.today.isoformat(),
            "count": "1",
        },
    )
    assert response.status_code == 200  # the form refuses the choice
    assert Container.objects.count() == 1
    assert as_user(world.reg108).get("/labels/new/").status_code == 404


def test_a_member_downloads_the_label_and_it_is_marked_printed(world):
    response = as_user(world.alice).get(
        f"/labels/{world.drum.code}.pdf", {"physical_form": "液态", "remarks": "勿倒置"}
    )
    assert response.status_code == 200
    [page] = pdf_pages(response)
    text = page.extract_text()
    assert "液态" in text and "勿倒置" in text
    world.drum.refresh_from_db()
    assert world.drum.label_printed_at is not None


@pytest.mark.parametrize("who", ["bob", "kate", "reg108", "nobody"])
def test_outsiders_cannot_download_labels(world, who):
    client = as_user(getattr(world, who))
    assert client.get(f"/labels/{world.drum.code}.pdf").status_code == 404
    assert client.get("/labels/print.pdf", {"code": world.drum.code}).status_code == 404


def test_read_only_members_may_look_but_not_print(world):
    client = as_user(world.reader)
    assert world.drum.code in client.get("/labels/").content.decode()
    assert client.get(f"/labels/{world.drum.code}.pdf").status_code == 403
    world.drum.refresh_from_db()
    assert world.drum.label_printed_at is None


def test_printing_by_codes_keeps_only_visible_ones(world):
    client = as_user(world.alice)
    response = client.get("/labels/print.pdf", {"code": [world.drum.code, "not-a-code"]})
    assert len(pdf_pages(response)) == 1


def test_the_register_form_proposes_today_in_the_date_picker(world):
    html = as_user(world.alice).get("/labels/new/").content.decode()
    assert f'type="date" name="generated_on" value="{world.today.isoformat()}"' in html
