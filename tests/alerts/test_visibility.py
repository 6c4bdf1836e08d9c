"""Who sees which alert: list, detail, API and counts. Invisible means 404."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.alerts.conftest import FAKE, FakeRule, Parties, finding
from tests.registry.factories import api_client
from wufei.accounts.models import User
from wufei.accounts.viewer import viewer_for
from wufei.alerts.engine import alerts_sweep
from wufei.alerts.models import Alert
from wufei.alerts.selectors import (
    alert_counts_by_severity,
    alert_get_visible,
    alert_list_visible,
)
from wufei.core.errors import NotFound

pytestmark = pytest.mark.django_db


@pytest.fixture
def alerts(fake_rule: FakeRule, parties: Parties) -> dict[str, Alert]:
    fake_rule.found = [
        finding(parties.org, "binjiang"),
        finding(parties.other_org, "other", severity="low"),
        finding(parties.beijing_org, "beijing", severity="critical"),
    ]
    alerts_sweep(rule_codes=[FAKE])
    return {a.key: a for a in Alert.objects.all()}


def keys(user: User) -> set[str]:
    return set(alert_list_visible(viewer=viewer_for(user)).values_list("key", flat=True))


def test_who_sees_what(alerts: dict[str, Alert], parties: Parties) -> None:
    assert keys(parties.superuser) == {"binjiang", "other", "beijing"}
    assert keys(parties.regulator) == {"binjiang", "other"}
    assert keys(parties.regulator_city) == {"binjiang", "other"}
    assert keys(parties.regulator_beijing) == {"beijing"}
    assert keys(parties.member) == {"binjiang"}
    assert keys(parties.driver) == {"binjiang"}  # sees, but cannot act
    assert keys(parties.outsider) == {"other"}


def test_filters(alerts: dict[str, Alert], parties: Parties) -> None:
    viewer = viewer_for(parties.superuser)
    assert alert_list_visible(viewer=viewer, severity="critical").get().key == "beijing"
    assert alert_list_visible(viewer=viewer, region_prefix="11").get().key == "beijing"
    assert alert_list_visible(viewer=viewer, organisation_id=parties.other_org.pk).get().key == (
        "other"
    )
    assert not alert_list_visible(viewer=viewer, status="closed").exists()
    assert alert_list_visible(viewer=viewer, rule=FAKE).count() == 3


def test_counts_by_severity(alerts: dict[str, Alert], parties: Parties) -> None:
    assert alert_counts_by_severity(viewer=viewer_for(parties.regulator)) == {
        "low": 1,
        "medium": 0,
        "high": 1,
        "critical": 0,
    }


def test_a_regulator_of_330108_never_sees_a_110101_alert(
    alerts: dict[str, Alert], parties: Parties
) -> None:
    beijing = alerts["beijing"]
    viewer = viewer_for(parties.regulator)
    with pytest.raises(NotFound):
        alert_get_visible(viewer=viewer, pk=beijing.pk)
    web = Client()
    web.force_login(parties.regulator)
    assert web.get(f"/alerts/{beijing.pk}/").status_code == 404
    listing = web.get("/alerts/").content.decode()
    assert f"/alerts/{beijing.pk}/" not in listing
    assert f"/alerts/{alerts['binjiang'].pk}/" in listing
    assert web.post(f"/alerts/{beijing.pk}/acknowledge/").status_code == 404
    api = api_client(parties.regulator)
    assert api.get(f"/api/v1/alerts/{beijing.pk}").status_code == 404
    assert (
        api.post(
            f"/api/v1/alerts/{beijing.pk}/acknowledge", {}, content_type="application/json"
        ).status_code
        == 404
    )
    ids = {row["id"] for row in api.get("/api/v1/alerts/?page_size=200").json()["results"]}
    assert beijing.pk not in ids
    assert alerts["binjiang"].pk in ids
    beijing.refresh_from_db()
    assert beijing.status == "open"


def test_another_organisation_gets_404_everywhere(
    alerts: dict[str, Alert], parties: Parties
) -> None:
    mine = alerts["binjiang"]
    web = Client()
    web.force_login(parties.outsider)
    assert web.get(f"/alerts/{mine.pk}/").status_code == 404
    assert web.post(f"/alerts/{mine.pk}/close/", {"note": "x"}).status_code == 404
    api = api_client(parties.outsider)
    assert api.get(f"/api/v1/alerts/{mine.pk}").status_code == 404
    assert (
        api.post(
            f"/api/v1/alerts/{mine.pk}/close", {"note": "x"}, content_type="application/json"
        ).json()["code"]
        == "alert_not_found"
    )
