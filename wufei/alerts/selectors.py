"""Which alerts a viewer sees, and what it may do with one.

Policy: a platform administrator sees every alert; a regulator those whose region lies in its
regions (GB/T 2260 prefix, so a city regulator sees its districts); an organisation's members
(any role) the alerts concerning their organisations. Anything else answers "not found".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from wufei.accounts.viewer import Viewer
from wufei.alerts import policy
from wufei.alerts.engine import rule_thresholds, rules_loaded
from wufei.alerts.models import Alert, AlertAction, AlertStatus, RuleSetting, Severity
from wufei.alerts.rulebook import Rule
from wufei.core.errors import NotFound
from wufei.registry.models import Organisation

NOTHING = Q(pk__in=[])


def _visible_q(viewer: Viewer) -> Q:
    if viewer.is_admin:
        return Q()
    q = Q(organisation_id__in=viewer.organisation_ids) if viewer.memberships else NOTHING
    if viewer.is_regulator:
        q |= viewer.region_q("region__prefix")
    return q


def alert_list_visible(
    *,
    viewer: Viewer,
    status: str | None = None,
    severity: str | None = None,
    rule: str | None = None,
    organisation_id: int | None = None,
    region_prefix: str | None = None,
) -> QuerySet[Alert]:
    """Alerts the viewer may see, newest first, optionally filtered."""
    if not viewer.is_authenticated:
        return Alert.objects.none()
    alerts = Alert.objects.filter(_visible_q(viewer))
    if status:
        alerts = alerts.filter(status=status)
    if severity:
        alerts = alerts.filter(severity=severity)
    if rule:
        alerts = alerts.filter(rule=rule)
    if organisation_id is not None:
        alerts = alerts.filter(organisation_id=organisation_id)
    if region_prefix:
        alerts = alerts.filter(region__prefix__startswith=region_prefix)
    return alerts.select_related("organisation", "facility", "region").order_by("-raised_at", "-pk")


def alert_get_visible(*, viewer: Viewer, pk: int) -> Alert:
    """One alert the viewer may see; NotFound otherwise (existence is not revealed)."""
    alert = alert_list_visible(viewer=viewer).filter(pk=pk).first()
    if alert is None:
        raise NotFound("No such alert.", code="alert_not_found")
    return alert


def alert_actions(*, alert: Alert) -> QuerySet[AlertAction]:
    """The alert's timeline, oldest first (the caller has already checked visibility)."""
    return alert.actions.select_related("actor").order_by("at", "pk")


def alert_action_get_visible(*, viewer: Viewer, alert_pk: int, pk: int) -> AlertAction:
    """One action of a visible alert (for its attachment); NotFound otherwise."""
    alert = alert_get_visible(viewer=viewer, pk=alert_pk)
    action = alert.actions.filter(pk=pk).first()
    if action is None:
        raise NotFound("No such alert action.", code="alert_action_not_found")
    return action


def alert_organisations_visible(*, viewer: Viewer) -> list[tuple[int, str]]:
    """(pk, name) of the organisations the viewer's visible alerts concern, for the filter."""
    org_ids = alert_list_visible(viewer=viewer).order_by().values_list("organisation_id", flat=True)
    return list(
        Organisation.objects.filter(pk__in=org_ids.distinct())
        .order_by("name")
        .values_list("pk", "name")
    )


def alert_counts_by_severity(
    *, viewer: Viewer, status: str | None = None, region_prefix: str | None = None
) -> dict[str, int]:
    """How many visible alerts per severity (unclosed ones unless a status is given)."""
    alerts = alert_list_visible(viewer=viewer, status=status, region_prefix=region_prefix)
    if status is None:
        alerts = alerts.exclude(status=AlertStatus.CLOSED)
    counted = dict(
        alerts.order_by()
        .values_list("severity")
        .annotate(n=Count("pk"))
        .values_list("severity", "n")
    )
    return {value: counted.get(value, 0) for value in Severity.values}


@dataclass(frozen=True)
class AllowedActions:
    acknowledge: bool
    note: bool
    escalate: bool
    close: bool

    @property
    def any(self) -> bool:
        return self.acknowledge or self.note or self.escalate or self.close


def alert_refusal(*, viewer: Viewer, alert: Alert) -> str | None:
    """Why the viewer may not act on this alert (policy reason code), or None."""
    return policy.refusal_to_act(
        is_admin=viewer.is_admin,
        regulates_region=viewer.regulates(alert.region.prefix),
        role=viewer.role_in(alert.organisation_id),
        level=alert.level,
    )


def alert_allowed_actions(*, viewer: Viewer, alert: Alert) -> AllowedActions:
    """Which workflow buttons to offer this viewer (the services check again)."""
    if alert_refusal(viewer=viewer, alert=alert) is not None:
        return AllowedActions(False, False, False, False)
    return AllowedActions(
        acknowledge=policy.move_allowed(action="acknowledge", status=alert.status),
        note=policy.move_allowed(action="note", status=alert.status),
        escalate=policy.move_allowed(action="escalate", status=alert.status)
        and policy.next_level(alert.level) is not None,
        close=policy.move_allowed(action="close", status=alert.status),
    )


@dataclass(frozen=True)
class RuleRow:
    rule: Rule
    enabled: bool
    thresholds: dict[str, int | str]


def rule_rows() -> list[RuleRow]:
    """Every registered rule with its switch and current thresholds (reference data)."""
    settings_by_rule = {s.rule: s for s in RuleSetting.objects.all()}
    rows = []
    for code, rule in sorted(rules_loaded().items()):
        setting = settings_by_rule.get(code)
        rows.append(
            RuleRow(
                rule=rule,
                enabled=setting.enabled if setting else True,
                thresholds=rule_thresholds(rule, setting),
            )
        )
    return rows
