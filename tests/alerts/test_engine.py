"""The engine: raise, refresh, auto-resolve within scope, settings, escalation, events."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.alerts.conftest import FAKE, FakeRule, Parties, finding
from wufei.alerts.engine import SweepResult, alerts_on_event, alerts_sweep
from wufei.alerts.models import (
    ActionKind,
    Alert,
    AlertAction,
    AlertStatus,
    EscalationLevel,
    RuleSetting,
)
from wufei.core.audit_models import AuditEvent
from wufei.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def sweep(**kwargs: Any) -> SweepResult:
    return alerts_sweep(rule_codes=[FAKE], **kwargs)


def test_a_finding_raises_one_alert_with_action_and_audit(
    fake_rule: FakeRule, parties: Parties
) -> None:
    fake_rule.found = [finding(parties.org)]
    result = sweep()
    assert (result.raised, result.refreshed, result.resolved) == (1, 0, 0)
    alert = Alert.objects.get(rule=FAKE)
    assert alert.status == AlertStatus.OPEN
    assert alert.level == EscalationLevel.UNIT
    assert alert.severity == "high"
    assert alert.region.code == "330108"
    assert alert.evidence == [
        {"kind": "manifest", "id": "1", "label": "manifest:1", "url": "/manifests/X/"}
    ]
    assert list(alert.actions.values_list("kind", flat=True)) == [ActionKind.RAISE]
    assert AuditEvent.objects.filter(
        action="alert.raised", subject_type="alert", subject_id=str(alert.pk)
    ).exists()


def test_repeated_sweeps_refresh_and_never_duplicate(fake_rule: FakeRule, parties: Parties) -> None:
    fake_rule.found = [finding(parties.org)]
    first = timezone.now()
    sweep(now=first)
    fake_rule.found = [finding(parties.org, severity="critical", facts={"number": "N2"})]
    later = first + timedelta(hours=1)
    result = sweep(now=later)
    assert (result.raised, result.refreshed) == (0, 1)
    alert = Alert.objects.get(rule=FAKE)
    assert alert.severity == "critical"
    assert alert.facts == {"number": "N2"}
    assert alert.raised_at == first
    assert alert.last_seen_at == later
    assert sweep(now=later).raised == 0
    assert Alert.objects.filter(rule=FAKE).count() == 1
    assert AlertAction.objects.filter(alert=alert).count() == 1  # only "raised"


def test_the_database_refuses_two_unclosed_alerts_for_one_situation(
    fake_rule: FakeRule, parties: Parties
) -> None:
    from django.db import IntegrityError, transaction

    fake_rule.found = [finding(parties.org)]
    sweep()
    alert = Alert.objects.get(rule=FAKE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(
            rule=FAKE,
            key=alert.key,
            severity="low",
            organisation=parties.org,
            region=alert.region,
            raised_at=alert.raised_at,
            last_seen_at=alert.raised_at,
        )


def test_a_situation_gone_is_resolved_and_a_new_one_raises_afresh(
    fake_rule: FakeRule, parties: Parties
) -> None:
    fake_rule.found = [finding(parties.org)]
    sweep()
    fake_rule.found = []
    result = sweep()
    assert result.resolved == 1
    alert = Alert.objects.get(rule=FAKE)
    assert alert.status == AlertStatus.CLOSED
    assert alert.close_reason == "resolved"
    assert alert.actions.last().kind == ActionKind.AUTO_RESOLVE  # type: ignore[union-attr]
    assert AuditEvent.objects.filter(action="alert.resolved", subject_id=str(alert.pk)).exists()
    fake_rule.found = [finding(parties.org)]
    assert sweep().raised == 1  # the situation came back: a new alert
    assert Alert.objects.filter(rule=FAKE).count() == 2


def test_a_scoped_run_does_not_resolve_outside_its_scope(
    fake_rule: FakeRule, parties: Parties
) -> None:
    fake_rule.found = [finding(parties.org, "a"), finding(parties.other_org, "b")]
    sweep()
    fake_rule.found = []
    result = sweep(organisation_ids=frozenset({parties.org.pk}))
    assert result.resolved == 1
    assert Alert.objects.get(key="a").status == AlertStatus.CLOSED
    assert Alert.objects.get(key="b").status == AlertStatus.OPEN
    assert fake_rule.calls[-1]["organisation_ids"] == frozenset({parties.org.pk})


def test_a_failing_rule_leaves_its_alerts_alone(fake_rule: FakeRule, parties: Parties) -> None:
    fake_rule.found = [finding(parties.org)]
    sweep()
    fake_rule.fail = True
    result = sweep()
    assert result.rules_failed == [FAKE]
    assert Alert.objects.get(rule=FAKE).status == AlertStatus.OPEN


def test_a_disabled_rule_is_not_run(fake_rule: FakeRule, parties: Parties) -> None:
    RuleSetting.objects.create(rule=FAKE, enabled=False)
    fake_rule.found = [finding(parties.org)]
    result = sweep()
    assert result.rules_run == []
    assert fake_rule.calls == []
    assert not Alert.objects.exists()


def test_configured_thresholds_override_the_defaults(fake_rule: FakeRule, parties: Parties) -> None:
    sweep()
    assert fake_rule.calls[-1]["thresholds"] == {"days": 5, "unit": "t"}
    RuleSetting.objects.create(rule=FAKE, thresholds={"days": 9, "stale": 1, "unit": 3})
    sweep()
    # a known key of the right type overrides; unknown keys and wrong types are ignored
    assert fake_rule.calls[-1]["thresholds"] == {"days": 9, "unit": "t"}


def test_an_unknown_rule_code_is_refused(fake_rule: FakeRule) -> None:
    with pytest.raises(ValidationFailed):
        alerts_sweep(rule_codes=["no_such_rule"])


def test_unacknowledged_alerts_escalate_one_level_per_period(
    fake_rule: FakeRule, parties: Parties
) -> None:
    start = timezone.now()
    fake_rule.found = [finding(parties.org, severity="critical")]  # 4 hours
    sweep(now=start)
    assert sweep(now=start + timedelta(hours=3, minutes=59)).escalated == 0
    assert sweep(now=start + timedelta(hours=4)).escalated == 1
    alert = Alert.objects.get(rule=FAKE)
    assert alert.level == EscalationLevel.UNIT_MANAGER
    assert sweep(now=start + timedelta(hours=5)).escalated == 0  # waits again at its new level
    assert sweep(now=start + timedelta(hours=8)).escalated == 1
    assert sweep(now=start + timedelta(hours=20)).escalated == 0  # the regulator is the top
    alert.refresh_from_db()
    assert alert.level == EscalationLevel.REGULATOR
    assert alert.actions.filter(kind=ActionKind.ESCALATE, actor=None).count() == 2


def test_acknowledged_and_low_alerts_do_not_escalate(fake_rule: FakeRule, parties: Parties) -> None:
    start = timezone.now()
    fake_rule.found = [finding(parties.org, "low", severity="low"), finding(parties.org, "ack")]
    sweep(now=start)
    Alert.objects.filter(key="ack").update(status=AlertStatus.ACKNOWLEDGED)
    assert sweep(now=start + timedelta(days=30)).escalated == 0


def test_escalation_hours_are_a_setting(
    fake_rule: FakeRule, parties: Parties, settings: object
) -> None:
    settings.WUFEI_ALERT_ESCALATE_AFTER_HOURS = {"high": 1}  # type: ignore[attr-defined]
    start = timezone.now()
    fake_rule.found = [finding(parties.org)]  # high
    sweep(now=start)
    assert sweep(now=start + timedelta(hours=1)).escalated == 1


def test_an_event_runs_the_triggered_rules_for_those_organisations(
    fake_rule: FakeRule, parties: Parties
) -> None:
    fake_rule.found = [finding(parties.org, "a"), finding(parties.other_org, "b")]
    alerts_on_event(kind="manifest.changed", organisation_ids={parties.org.pk})
    assert list(Alert.objects.values_list("key", flat=True)) == ["a"]
    alerts_on_event(kind="iot.gps", organisation_ids={parties.org.pk})  # not a trigger
    assert len(fake_rule.calls) == 1


def test_an_event_never_raises_into_the_caller(fake_rule: FakeRule, parties: Parties) -> None:
    fake_rule.fail = True
    alerts_on_event(kind="manifest.changed", organisation_ids={parties.org.pk})
    fake_rule.fail = False
    fake_rule.found = [finding(parties.org, region_code="999999")]  # unknown region code
    alerts_on_event(kind="manifest.changed", organisation_ids={parties.org.pk})
    assert Alert.objects.get(rule=FAKE).region == parties.org.region  # falls back to the org's


def test_the_command_sweeps(fake_rule: FakeRule, parties: Parties) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    fake_rule.found = [finding(parties.org)]
    out = StringIO()
    call_command("sweep_alerts", "--rule", FAKE, stdout=out)
    assert "1 raised" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("sweep_alerts", "--rule", "no_such_rule")


def test_events_queued_in_a_transaction_run_once_after_commit(
    fake_rule: FakeRule, parties: Parties, django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import transaction

    from wufei.alerts.triggers import alerts_event_later

    fake_rule.found = [finding(parties.org)]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        alerts_event_later(kind="manifest.changed", organisation_ids=[parties.org.pk])
        alerts_event_later(kind="manifest.changed", organisation_ids=[parties.other_org.pk])
        assert not Alert.objects.exists()  # nothing before commit
    assert len(fake_rule.calls) == 1
    assert fake_rule.calls[0]["organisation_ids"] == frozenset(
        {parties.org.pk, parties.other_org.pk}
    )
    assert Alert.objects.filter(rule=FAKE).count() == 1


def test_losing_an_insert_race_refreshes_the_winner(
    fake_rule: FakeRule, parties: Parties, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two runs both saw no alert and both insert: the loser meets the unique constraint and
    refreshes the winner's row (what happens on PostgreSQL; SQLite serialises the runs)."""
    from wufei.alerts import engine

    fake_rule.found = [finding(parties.org)]
    sweep()  # the winner's alert
    real = engine._unclosed_by_key
    calls: list[list[str]] = []

    def stale_then_real(code: str, keys: list[str]) -> dict[str, Alert]:
        calls.append(keys)
        return {} if len(calls) == 1 else real(code, keys)

    monkeypatch.setattr(engine, "_unclosed_by_key", stale_then_real)
    fake_rule.found = [finding(parties.org, severity="critical")]
    result = sweep()
    assert (result.raised, result.refreshed, result.rules_failed) == (0, 1, [])
    assert Alert.objects.get(rule=FAKE).severity == "critical"
