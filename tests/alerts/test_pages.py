"""The alert pages in Chinese and English, and the workflow forms."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.alerts.conftest import FAKE, FakeRule, Parties, finding
from wufei.alerts.engine import alerts_sweep
from wufei.alerts.models import Alert, AlertStatus, EscalationLevel, RuleSetting

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(fake_rule: FakeRule, parties: Parties) -> Alert:
    fake_rule.found = [finding(parties.org, "manifest:7", facts={"number": "HW-7"})]
    alerts_sweep(rule_codes=[FAKE])
    return Alert.objects.get(rule=FAKE)


def client_for(user: object, language: str = "zh-hans") -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    if language != "zh-hans":
        client.post("/i18n/setlang/", {"language": language, "next": "/alerts/"})
    return client


def test_list_and_detail_in_chinese(alert: Alert, parties: Parties) -> None:
    web = client_for(parties.member)
    listing = web.get("/alerts/").content.decode()
    assert "预警" in listing
    assert "HW-7" in listing
    detail = web.get(f"/alerts/{alert.pk}/").content.decode()
    assert "《测试办法》第一条" in detail
    assert "/manifests/X/" in detail  # the evidence link
    for testid in ("alert-acknowledge", "alert-note", "alert-escalate", "alert-close"):
        assert f'data-testid="{testid}"' in detail
    assert "时间线" in detail


def test_pages_in_english(alert: Alert, parties: Parties) -> None:
    web = client_for(parties.member, "en")
    listing = web.get("/alerts/").content.decode()
    assert "Alerts" in listing
    assert "预警" not in listing
    detail = web.get(f"/alerts/{alert.pk}/").content.decode()
    assert "Timeline" in detail
    assert "Acknowledge" in detail
    assert "Warning rules" in web.get("/alerts/rules/").content.decode()


def test_list_filters_and_pagination(fake_rule: FakeRule, parties: Parties) -> None:
    fake_rule.found = [finding(parties.org, f"k{n}") for n in range(55)]
    fake_rule.found.append(finding(parties.org, "crit", severity="critical"))
    alerts_sweep(rule_codes=[FAKE])
    web = client_for(parties.member)
    first = web.get("/alerts/").content.decode()
    assert first.count('data-testid="alert-row"') == 50
    second = web.get("/alerts/?page=2").content.decode()
    assert second.count('data-testid="alert-row"') == 6
    critical = web.get("/alerts/?severity=critical").content.decode()
    assert critical.count('data-testid="alert-row"') == 1
    assert web.get(f"/alerts/?organisation={parties.org.pk}&rule={FAKE}").status_code == 200
    assert web.get("/alerts/?status=bogus").status_code == 200  # ignored, not an error


def test_the_forms_drive_the_workflow(alert: Alert, parties: Parties) -> None:
    web = client_for(parties.member)
    web.post(f"/alerts/{alert.pk}/acknowledge/")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED
    response = web.post(f"/alerts/{alert.pk}/close/", {"note": ""}, follow=True)
    assert "写明" in response.content.decode()  # the refusal is shown, in Chinese
    web.post(f"/alerts/{alert.pk}/escalate/", {"note": "请负责人处理"})
    alert.refresh_from_db()
    assert alert.level == EscalationLevel.UNIT_MANAGER
    page = web.get(f"/alerts/{alert.pk}/").content.decode()
    assert 'data-testid="alert-close"' not in page  # a member no longer acts
    assert 'data-testid="alert-refusal"' in page


def test_a_driver_sees_no_workflow_buttons(alert: Alert, parties: Parties) -> None:
    page = client_for(parties.driver).get(f"/alerts/{alert.pk}/").content.decode()
    assert 'data-testid="alert-acknowledge"' not in page
    client_for(parties.driver).post(f"/alerts/{alert.pk}/acknowledge/")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_attachment_download_is_checked(
    alert: Alert, parties: Parties, settings: object, tmp_path: object
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    web = client_for(parties.member)
    web.post(
        f"/alerts/{alert.pk}/note/",
        {"note": "扫描件", "attachment": SimpleUploadedFile("scan.pdf", b"%PDF-1.4 x")},
    )
    action = alert.actions.get(kind="note")
    url = f"/alerts/{alert.pk}/actions/{action.pk}/attachment/"
    assert web.get(url).status_code == 200
    assert client_for(parties.outsider).get(url).status_code == 404


def test_rules_page_lets_admins_edit_thresholds(fake_rule: FakeRule, parties: Parties) -> None:
    member_page = client_for(parties.member).get("/alerts/rules/").content.decode()
    assert "《测试办法》第一条" in member_page
    assert f'data-testid="rule-save-{FAKE}"' not in member_page
    assert client_for(parties.member).post("/alerts/rules/", {"rule": FAKE}).status_code == 404
    admin = client_for(parties.superuser)
    assert f'data-testid="rule-save-{FAKE}"' in admin.get("/alerts/rules/").content.decode()
    bad = admin.post("/alerts/rules/", {"rule": FAKE, "days": "-3", "unit": "t"})
    assert bad.status_code == 200
    assert not RuleSetting.objects.filter(rule=FAKE).exists()
    admin.post("/alerts/rules/", {"rule": FAKE, "days": "8", "unit": "kg", "enabled": "on"})
    setting = RuleSetting.objects.get(rule=FAKE)
    assert (setting.enabled, setting.thresholds) == (True, {"days": 8, "unit": "kg"})
