"""Run the rules and keep the alerts in step with what they find.

A run takes a set of rules and a scope (the whole network, or some organisations). For each
rule it asks for the situations found now, then, in one transaction per rule: raises an alert
for each new situation, refreshes the open one of a situation seen before, and resolves the
open alerts of that rule, within the scope, whose situation is gone. Running twice changes
nothing the second time; two runs racing leave one alert per situation (the partial unique
constraint, with the loser of an insert race updating the winner's row). The periodic sweep
also escalates alerts nobody acknowledged in time.

A rule that fails is logged and skipped — its alerts are neither refreshed nor resolved, so a
bug can never close the warnings it should keep open.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from wufei.alerts import policy
from wufei.alerts.models import (
    ActionKind,
    Alert,
    AlertAction,
    AlertStatus,
    CloseReason,
    EscalationLevel,
    RuleSetting,
)
from wufei.alerts.rulebook import RULES, Finding, Rule
from wufei.core.audit import audit_append
from wufei.core.errors import ValidationFailed
from wufei.registry.models import Organisation, Region

logger = logging.getLogger(__name__)

UNCLOSED = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)


@dataclass
class SweepResult:
    """What one run did, counted per outcome."""

    raised: int = 0
    refreshed: int = 0
    resolved: int = 0
    escalated: int = 0
    rules_run: list[str] = field(default_factory=list)
    rules_failed: list[str] = field(default_factory=list)

    def merge(self, other: SweepResult) -> None:
        self.raised += other.raised
        self.refreshed += other.refreshed
        self.resolved += other.resolved
        self.escalated += other.escalated
        self.rules_run += other.rules_run
        self.rules_failed += other.rules_failed


def rules_loaded() -> dict[str, Rule]:
    """Every registered rule (importing the rules package registers them)."""
    import wufei.alerts.rules  # noqa: F401  (registration side effect)

    return RULES


def rule_thresholds(rule: Rule, setting: RuleSetting | None) -> dict[str, int | str]:
    """The thresholds a rule runs with: its defaults overridden by the configured ones."""
    return policy.effective_thresholds(rule.defaults, setting.thresholds if setting else None)


def escalate_after_hours() -> Mapping[str, int | None]:
    """Hours per severity before an unacknowledged alert escalates (setting
    WUFEI_ALERT_ESCALATE_AFTER_HOURS overrides the defaults key by key)."""
    configured = getattr(settings, "WUFEI_ALERT_ESCALATE_AFTER_HOURS", {}) or {}
    return {**policy.DEFAULT_ESCALATE_AFTER_HOURS, **configured}


def _selected(rule_codes: Iterable[str] | None) -> list[str]:
    known = rules_loaded()
    if rule_codes is None:
        return sorted(known)
    codes = sorted(set(rule_codes))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationFailed(f"unknown rule(s): {', '.join(unknown)}", code="unknown_rule")
    return codes


class _Regions:
    """Region rows by code, looked up once per run."""

    def __init__(self) -> None:
        self._by_code: dict[str, Region | None] = {}

    def region_for(self, finding: Finding) -> Region:
        if finding.region_code not in self._by_code:
            self._by_code[finding.region_code] = Region.objects.filter(
                code=finding.region_code
            ).first()
        region = self._by_code[finding.region_code]
        if region is None:  # an unknown code: scope by the organisation's own region
            org = Organisation.objects.select_related("region").get(pk=finding.organisation_id)
            return org.region
        return region


def _audit(alert: Alert, action: str, payload: Mapping[str, object]) -> None:
    audit_append(
        actor=None,
        organisation=alert.organisation,
        action=action,
        subject_type="alert",
        subject_id=str(alert.pk),
        payload={"rule": alert.rule, "key": alert.key, **payload},
        occurred_at=timezone.now(),
    )


REFRESHED_FIELDS = [
    "severity",
    "organisation",
    "facility",
    "region",
    "facts",
    "evidence",
    "last_seen_at",
]
CHUNK = 500


def _refreshed(alert: Alert, finding: Finding, region: Region, now: datetime) -> Alert:
    alert.severity = finding.severity
    alert.organisation_id = finding.organisation_id
    alert.facility_id = finding.facility_id
    alert.region = region
    alert.facts = dict(finding.facts)
    alert.evidence = [vars(item) for item in finding.evidence]
    alert.last_seen_at = now
    return alert


def _unclosed_by_key(code: str, keys: list[str]) -> dict[str, Alert]:
    """The unclosed alerts of the rule for these keys, locked (in chunks: SQLite's limit)."""
    found: dict[str, Alert] = {}
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        for alert in Alert.objects.select_for_update().filter(
            rule=code, key__in=chunk, status__in=UNCLOSED
        ):
            found[alert.key] = alert
    return found


def _raise(code: str, finding: Finding, region: Region, now: datetime) -> Alert | None:
    """Insert the alert of a new situation; None when a racing run inserted it first."""
    alert = Alert(
        rule=code,
        key=finding.key,
        status=AlertStatus.OPEN,
        level=EscalationLevel.UNIT,
        raised_at=now,
    )
    _refreshed(alert, finding, region, now)
    try:
        with transaction.atomic():  # savepoint: a lost insert race must not doom the run
            alert.save(force_insert=True)
    except IntegrityError:
        return None
    AlertAction.objects.create(alert=alert, kind=ActionKind.RAISE, at=now)
    _audit(alert, "alert.raised", {"severity": alert.severity})
    return alert


def _reconcile(
    code: str, findings: dict[str, Finding], regions: _Regions, now: datetime
) -> tuple[int, int]:
    """Raise the new situations and refresh the known ones: (raised, refreshed)."""
    existing = _unclosed_by_key(code, list(findings))
    raised = 0
    to_update = []
    for key, finding in findings.items():
        region = regions.region_for(finding)
        alert = existing.get(key)
        if alert is None:
            if _raise(code, finding, region, now) is not None:
                raised += 1
                continue
            # lost a race: the other run's alert is now there to refresh
            alert = _unclosed_by_key(code, [key])[key]
        to_update.append(_refreshed(alert, finding, region, now))
    Alert.objects.bulk_update(to_update, REFRESHED_FIELDS, batch_size=CHUNK)
    return raised, len(to_update)


def _resolve_gone(
    code: str, found_keys: set[str], organisation_ids: frozenset[int] | None, now: datetime
) -> int:
    """Close, as resolved, the unclosed alerts of the rule in scope whose situation is gone."""
    gone = Alert.objects.select_for_update().filter(rule=code, status__in=UNCLOSED)
    if organisation_ids is not None:
        gone = gone.filter(organisation_id__in=organisation_ids)
    count = 0
    for alert in gone.exclude(key__in=found_keys).select_related("organisation"):
        alert.status = AlertStatus.CLOSED
        alert.close_reason = CloseReason.RESOLVED
        alert.closed_at = now
        alert.save(update_fields=["status", "close_reason", "closed_at"])
        AlertAction.objects.create(alert=alert, kind=ActionKind.AUTO_RESOLVE, at=now)
        _audit(alert, "alert.resolved", {})
        count += 1
    return count


def _run_rule(
    rule: Rule,
    setting: RuleSetting | None,
    *,
    now: datetime,
    organisation_ids: frozenset[int] | None,
    regions: _Regions,
) -> SweepResult:
    result = SweepResult(rules_run=[rule.code])
    # Read outside the write transaction: the lock is held only while alerts are written.
    findings: dict[str, Finding] = {}
    for finding in rule.find(
        now=now, thresholds=rule_thresholds(rule, setting), organisation_ids=organisation_ids
    ):
        if organisation_ids is None or finding.organisation_id in organisation_ids:
            findings[finding.key] = finding
    with transaction.atomic():
        result.raised, result.refreshed = _reconcile(rule.code, findings, regions, now)
        result.resolved = _resolve_gone(rule.code, set(findings), organisation_ids, now)
    return result


def _escalate_overdue(
    codes: list[str], organisation_ids: frozenset[int] | None, now: datetime
) -> int:
    """Move open alerts nobody acknowledged in time up one level."""
    hours = escalate_after_hours()
    candidates = Alert.objects.filter(
        rule__in=codes, status=AlertStatus.OPEN, level__lt=EscalationLevel.REGULATOR
    )
    if organisation_ids is not None:
        candidates = candidates.filter(organisation_id__in=organisation_ids)
    count = 0
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            alert = Alert.objects.select_for_update().select_related("organisation").get(pk=pk)
            if not policy.escalation_due(
                severity=alert.severity,
                status=alert.status,
                level=alert.level,
                waiting_since=alert.escalated_at or alert.raised_at,
                now=now,
                hours_by_severity=hours,
            ):
                continue
            alert.level = alert.level + 1
            alert.escalated_at = now
            alert.save(update_fields=["level", "escalated_at"])
            AlertAction.objects.create(
                alert=alert, kind=ActionKind.ESCALATE, note="automatic", at=now
            )
            _audit(alert, "alert.escalated", {"level": alert.level, "automatic": True})
            count += 1
    return count


def _run(
    codes: list[str],
    *,
    now: datetime,
    organisation_ids: frozenset[int] | None,
    escalate: bool,
) -> SweepResult:
    rules = rules_loaded()
    settings_by_rule = {s.rule: s for s in RuleSetting.objects.filter(rule__in=codes)}
    result = SweepResult()
    regions = _Regions()
    enabled = [c for c in codes if c not in settings_by_rule or settings_by_rule[c].enabled]
    for code in enabled:
        try:
            result.merge(
                _run_rule(
                    rules[code],
                    settings_by_rule.get(code),
                    now=now,
                    organisation_ids=organisation_ids,
                    regions=regions,
                )
            )
        except Exception:
            logger.exception("alert rule %s failed; its alerts were left as they were", code)
            result.rules_failed.append(code)
    if escalate:
        result.escalated = _escalate_overdue(enabled, organisation_ids, now)
    return result


def alerts_sweep(
    *,
    now: datetime | None = None,
    rule_codes: Iterable[str] | None = None,
    organisation_ids: frozenset[int] | None = None,
) -> SweepResult:
    """Run the rules (all, or `rule_codes`) over the network (or those organisations):
    raise, refresh, auto-resolve within that scope, and escalate overdue alerts. Idempotent."""
    return _run(
        _selected(rule_codes),
        now=now or timezone.now(),
        organisation_ids=organisation_ids,
        escalate=True,
    )


def alerts_on_event(*, kind: str, organisation_ids: set[int]) -> None:
    """Re-run the rules triggered by an event kind for the organisations it concerns.

    Called after commit by the service that recorded the event; it never raises into it.
    """
    try:
        codes = sorted(code for code, rule in rules_loaded().items() if kind in rule.triggers)
        if not codes or not organisation_ids:
            return
        result = _run(
            codes,
            now=timezone.now(),
            organisation_ids=frozenset(organisation_ids),
            escalate=False,
        )
        if result.rules_failed:
            logger.warning("alert rules failed on %s: %s", kind, result.rules_failed)
    except Exception:
        logger.exception("alerts_on_event(%s) failed", kind)
