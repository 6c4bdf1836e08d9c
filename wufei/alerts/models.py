"""Warnings (预警) raised by the rules and the workflow that handles them.

An `Alert` is one situation a rule found (`rule` + `key`); while it is not closed there is
never a second one for the same situation (partial unique constraint), so repeated or racing
sweeps refresh it instead of duplicating it. `AlertAction` is the timeline (acknowledge, note,
escalate, close, auto-resolve); `RuleSetting` lets an administrator switch a rule off or
override its thresholds.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


class EscalationLevel(models.IntegerChoices):
    UNIT = 0, _("Unit staff")
    UNIT_MANAGER = 1, _("Unit manager")
    REGULATOR = 2, _("Regulator")


class CloseReason(models.TextChoices):
    HANDLED = "handled", _("Handled")
    RESOLVED = "resolved", _("Resolved automatically")


class ActionKind(models.TextChoices):
    RAISE = "raise", _("Raised")
    ACKNOWLEDGE = "acknowledge", _("Acknowledged")
    NOTE = "note", _("Note")
    ESCALATE = "escalate", _("Escalated")
    CLOSE = "close", _("Closed")
    AUTO_RESOLVE = "auto_resolve", _("Resolved automatically")


class Alert(models.Model):
    rule = models.CharField(_("warning rule"), max_length=40)
    key = models.CharField(max_length=120)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    level = models.PositiveSmallIntegerField(
        _("escalation level"), choices=EscalationLevel.choices, default=EscalationLevel.UNIT
    )
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="alerts"
    )
    facility = models.ForeignKey(
        "registry.Facility", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+")
    facts = models.JSONField(default=dict)
    evidence = models.JSONField(default=list)
    raised_at = models.DateTimeField(_("raised at"))
    last_seen_at = models.DateTimeField(_("last seen at"))
    escalated_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    close_reason = models.CharField(max_length=10, choices=CloseReason.choices, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "key"],
                condition=~Q(status="closed"),
                name="alert_one_unclosed_per_situation",
            )
        ]
        indexes = [
            models.Index(fields=["status", "region"], name="alert_status_region"),
            models.Index(fields=["organisation", "status"], name="alert_org_status"),
            models.Index(fields=["rule", "status"], name="alert_rule_status"),
        ]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self) -> str:
        return f"{self.rule} {self.key} ({self.status})"


class AlertAction(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=14, choices=ActionKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    attachment = models.FileField(upload_to="alerts/%Y/%m/", null=True, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} on alert {self.alert_id}"


class RuleSetting(models.Model):
    rule = models.CharField(max_length=40, unique=True)
    enabled = models.BooleanField(default=True)
    thresholds = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return self.rule
