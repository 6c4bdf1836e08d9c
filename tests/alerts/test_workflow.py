"""Acknowledge, note, escalate, close: who may, in which state, and what is recorded."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.alerts.conftest import FAKE, FakeRule, Parties, finding
from wufei.alerts.engine import alerts_sweep
from wufei.alerts.models import ActionKind, Alert, AlertStatus, EscalationLevel, RuleSetting
from wufei.alerts.services import (
    alert_acknowledge,
    alert_close,
    alert_escalate,
    alert_note_add,
    rule_setting_update,
)
from wufei.core.audit_models import AuditEvent
from wufei.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


@pytest.fixture
def alert(fake_rule: FakeRule, parties: Parties) -> Alert:
    fake_rule.found = [finding(parties.org)]
    alerts_sweep(rule_codes=[FAKE])
    return Alert.objects.get(rule=FAKE)


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]


def test_member_acknowledges_then_closes_with_a_note(alert: Alert, parties: Parties) -> None:
    alert_acknowledge(actor=parties.member, alert_id=alert.pk)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED
    assert alert.acknowledged_by == parties.member
    with pytest.raises(Conflict):
        alert_acknowledge(actor=parties.member, alert_id=alert.pk)
    with pytest.raises(ValidationFailed):
        alert_close(actor=parties.member, alert_id=alert.pk, note="  ")
    alert_close(actor=parties.member, alert_id=alert.pk, note="已补签联单")
    alert.refresh_from_db()
    assert (alert.status, alert.close_reason, alert.closed_by) == (
        AlertStatus.CLOSED,
        "handled",
        parties.member,
    )
    kinds = list(alert.actions.values_list("kind", flat=True))
    assert kinds == [ActionKind.RAISE, ActionKind.ACKNOWLEDGE, ActionKind.CLOSE]
    assert AuditEvent.objects.filter(
        action="alert.close", subject_id=str(alert.pk), actor=parties.member
    ).exists()


def test_closed_is_final(alert: Alert, parties: Parties) -> None:
    alert_close(actor=parties.admin, alert_id=alert.pk, note="done")
    for call in (
        lambda: alert_acknowledge(actor=parties.admin, alert_id=alert.pk),
        lambda: alert_escalate(actor=parties.admin, alert_id=alert.pk),
        lambda: alert_note_add(actor=parties.admin, alert_id=alert.pk, note="x"),
        lambda: alert_close(actor=parties.admin, alert_id=alert.pk, note="x"),
    ):
        with pytest.raises(Conflict):
            call()


def test_a_closed_alert_does_not_block_the_next_one(
    alert: Alert, parties: Parties, fake_rule: FakeRule
) -> None:
    alert_close(actor=parties.admin, alert_id=alert.pk, note="done")
    assert alerts_sweep(rule_codes=[FAKE]).raised == 1  # still found: raised again


def test_drivers_and_read_only_members_cannot_act(alert: Alert, parties: Parties) -> None:
    for user in (parties.driver, parties.readonly):
        with pytest.raises(NotPermitted) as refused:
            alert_acknowledge(actor=user, alert_id=alert.pk)
        assert refused.value.code == "alert_role_cannot_act"


def test_outsiders_are_told_it_does_not_exist(alert: Alert, parties: Parties) -> None:
    for user in (parties.outsider, parties.regulator_beijing):
        with pytest.raises(NotFound):
            alert_acknowledge(actor=user, alert_id=alert.pk)
        with pytest.raises(NotFound):
            alert_note_add(actor=user, alert_id=alert.pk, note="x")


def test_escalation_narrows_who_may_act(alert: Alert, parties: Parties) -> None:
    alert_escalate(actor=parties.member, alert_id=alert.pk, note="需要负责人处理")
    alert.refresh_from_db()
    assert alert.level == EscalationLevel.UNIT_MANAGER
    with pytest.raises(NotPermitted) as refused:
        alert_acknowledge(actor=parties.member, alert_id=alert.pk)
    assert refused.value.code == "alert_with_unit_manager"
    alert_escalate(actor=parties.admin, alert_id=alert.pk)
    alert.refresh_from_db()
    assert alert.level == EscalationLevel.REGULATOR
    with pytest.raises(NotPermitted) as refused:
        alert_acknowledge(actor=parties.admin, alert_id=alert.pk)
    assert refused.value.code == "alert_with_regulator"
    with pytest.raises(Conflict):
        alert_escalate(actor=parties.regulator, alert_id=alert.pk)
    alert_acknowledge(actor=parties.regulator_city, alert_id=alert.pk)  # 330100 covers 330108
    alert_close(actor=parties.regulator, alert_id=alert.pk, note="已现场检查")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED


def test_notes_with_attachments(alert: Alert, parties: Parties) -> None:
    action = alert_note_add(
        actor=parties.member,
        alert_id=alert.pk,
        note="照片",
        attachment=SimpleUploadedFile("photo.png", PNG, content_type="image/png"),
    )
    assert action.attachment.name.endswith(".png")
    assert action.kind == ActionKind.NOTE
    alert_note_add(
        actor=parties.member,
        alert_id=alert.pk,
        note="",
        attachment=SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf"),
    )
    with pytest.raises(ValidationFailed):  # nothing at all
        alert_note_add(actor=parties.member, alert_id=alert.pk, note="")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.exe", b"MZ\x90\x00"),
        ("fake.pdf", b"<html>not a pdf</html>"),
        ("image.gif", b"GIF89a"),
    ],
)
def test_attachments_must_be_pdf_jpg_or_png(
    alert: Alert, parties: Parties, name: str, content: bytes
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        alert_note_add(
            actor=parties.member,
            alert_id=alert.pk,
            note="x",
            attachment=SimpleUploadedFile(name, content),
        )
    assert refused.value.field == "attachment"


def test_attachments_of_more_than_10_mb_are_refused(alert: Alert, parties: Parties) -> None:
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationFailed):
        alert_note_add(actor=parties.member, alert_id=alert.pk, note="x", attachment=big)


def test_only_platform_admins_change_rule_settings(fake_rule: FakeRule, parties: Parties) -> None:
    with pytest.raises(NotPermitted):
        rule_setting_update(actor=parties.regulator, rule_code=FAKE, enabled=True, thresholds={})
    with pytest.raises(ValidationFailed):
        rule_setting_update(
            actor=parties.superuser, rule_code=FAKE, enabled=True, thresholds={"days": -1}
        )
    rule_setting_update(
        actor=parties.superuser,
        rule_code=FAKE,
        enabled=False,
        thresholds={"days": 7, "unit": "kg"},
    )
    setting = RuleSetting.objects.get(rule=FAKE)
    assert (setting.enabled, setting.thresholds) == (False, {"days": 7, "unit": "kg"})
    assert AuditEvent.objects.filter(action="alert_rule.updated", subject_id=FAKE).exists()
