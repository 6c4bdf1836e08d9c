"""The /api/v1/alerts/ endpoints: list with filters and pages, detail, workflow steps."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.alerts.conftest import FAKE, FakeRule, Parties, finding
from tests.registry.factories import api_client
from wufei.alerts.engine import alerts_sweep
from wufei.alerts.models import Alert

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(fake_rule: FakeRule, parties: Parties) -> Alert:
    fake_rule.found = [
        finding(parties.org, "a", facts={"number": "HW-1"}),
        finding(parties.org, "b", severity="low"),
    ]
    alerts_sweep(rule_codes=[FAKE])
    return Alert.objects.get(key="a")


def test_list_and_detail(alert: Alert, parties: Parties) -> None:
    api = api_client(parties.member)
    body = api.get("/api/v1/alerts/?page_size=1").json()
    assert body["count"] == 2
    assert len(body["results"]) == 1
    assert body["next"]
    high = api.get("/api/v1/alerts/?severity=high").json()["results"]
    assert [row["key"] for row in high] == ["a"]
    detail = api.get(f"/api/v1/alerts/{alert.pk}").json()
    assert detail["source"] == "《测试办法》第一条"
    assert detail["organisation"] == parties.org.uscc
    assert detail["evidence"][0]["url"] == "/manifests/X/"
    assert [a["kind"] for a in detail["actions"]] == ["raise"]


def test_workflow_steps(alert: Alert, parties: Parties, settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    api = api_client(parties.member)
    url = f"/api/v1/alerts/{alert.pk}"
    assert (
        api.post(f"{url}/acknowledge", {}, content_type="application/json").json()["status"]
        == "acknowledged"
    )
    again = api.post(f"{url}/acknowledge", {}, content_type="application/json")
    assert again.status_code == 409
    noted = api.post(
        f"{url}/note",
        {"note": "见附件", "attachment": SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n")},
    )
    assert noted.status_code == 200, noted.content
    assert noted.json()["actions"][-1]["has_attachment"] is True
    refused = api.post(f"{url}/close", {"note": ""}, content_type="application/json")
    assert (refused.status_code, refused.json()["field"]) == (400, "note")
    assert api.post(f"{url}/escalate", {}, content_type="application/json").json()["level"] == 1
    forbidden = api.post(f"{url}/close", {"note": "x"}, content_type="application/json")
    assert (forbidden.status_code, forbidden.json()["code"]) == (403, "alert_with_unit_manager")
    closed = api_client(parties.admin).post(
        f"{url}/close", {"note": "处理完毕"}, content_type="application/json"
    )
    assert closed.json()["status"] == "closed"


def test_a_driver_is_refused(alert: Alert, parties: Parties) -> None:
    response = api_client(parties.driver).post(
        f"/api/v1/alerts/{alert.pk}/acknowledge", {}, content_type="application/json"
    )
    assert response.status_code == 403
