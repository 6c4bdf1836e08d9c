"""The QR scan page: public facts for anyone, the full history for parties only."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.ledger.labels_world import build_shipment, build_world
from wufei.accounts.viewer import viewer_for
from wufei.core.errors import NotFound
from wufei.ledger.scan_selectors import container_history


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def shipped(world):
    return build_shipment(world)


# What only a party may read: weights, persons, batch codes, manifests and their parties.
PRIVATE = (
    "12.500 kg",
    "12.480 kg",
    "王师傅",
    "HWCS20240307001",
    "20243301000042",
    "安运物流",
    "萧山处置中心",
)
PUBLIC = ("甲化工有限公司", "900-249-08", "HW08", "废矿物油与含矿物油废物")


def scan(client: Client, code: str):
    return client.get(f"/c/{code}/")


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def assert_public_only(response, code: str) -> None:
    assert response.status_code == 200
    html = response.content.decode()
    assert code in html
    for fact in PUBLIC:
        assert fact in html, fact
    for secret in PRIVATE:
        assert secret not in html, secret
    assert 'data-testid="history"' not in html


def test_anonymous_scan_shows_the_public_facts_only(shipped):
    response = scan(Client(), shipped.drum.code)
    assert_public_only(response, shipped.drum.code)
    assert 'data-testid="scan-public-note"' in response.content.decode()


@pytest.mark.parametrize("who", ["bob", "nobody", "reg_west"])
def test_unrelated_users_see_only_the_public_view(shipped, who):
    assert_public_only(scan(as_user(getattr(shipped, who)), shipped.drum.code), shipped.drum.code)


@pytest.mark.parametrize("who", ["alice", "reader", "kate", "rita", "reg108", "reg109", "admin"])
def test_parties_see_the_full_history(shipped, who):
    response = scan(as_user(getattr(shipped, who)), shipped.drum.code)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="history"' in html
    for fact in PRIVATE:
        assert fact in html, (who, fact)


def test_history_is_in_time_order_from_registration_to_treatment(shipped):
    history = container_history(viewer=viewer_for(shipped.alice), container=shipped.drum)
    times = [s.at for s in history.steps]
    assert times == sorted(times)
    assert [t.manifest.number for t in history.trips] == ["20243301000042"]
    assert [c.carrier.name for c in history.trips[0].carriers] == ["安运物流"]
    assert history.steps[-1].weight == "12.480 kg"  # treated weight, exact grams


def test_a_carrier_on_no_manifest_of_the_container_is_not_a_party(world):
    with pytest.raises(NotFound):
        container_history(viewer=viewer_for(world.kate), container=world.drum)


def test_a_draft_manifest_makes_no_party_of_its_carrier(shipped):
    shipped.manifest.status = "draft"
    shipped.manifest.save(update_fields=["status"])
    assert_public_only(scan(as_user(shipped.kate), shipped.drum.code), shipped.drum.code)


def test_only_acting_members_of_the_producer_get_the_label_link(shipped):
    assert (
        'data-testid="label-download"'
        in scan(as_user(shipped.alice), shipped.drum.code).content.decode()
    )
    assert (
        'data-testid="label-download"'
        not in scan(as_user(shipped.reader), shipped.drum.code).content.decode()
    )
    assert (
        'data-testid="label-download"'
        not in scan(as_user(shipped.kate), shipped.drum.code).content.decode()
    )


@pytest.mark.parametrize("code", ["91330108MA27XK3L4B9002490820240307999", "x" * 80, "nothing"])
def test_unknown_codes_are_not_found(world, code):
    assert scan(Client(), code).status_code == 404
    assert scan(as_user(world.admin), code).status_code == 404


def test_public_scan_is_not_cached_across_viewers(world):
    response = scan(Client(), world.drum.code)
    assert "no-store" in response["Cache-Control"]
