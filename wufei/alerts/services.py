"""The warning workflow: acknowledge, add a note, escalate, close — and rule settings.

Each service finds the alert through the visibility policy (invisible = not found), checks who
may act at the alert's escalation level (`policy.refusal_to_act`) and the state machine
(open → acknowledged → closed; closed is final), then writes the change, its timeline entry
and its audit event in one transaction, with the alert row locked.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.accounts.models import User
from wufei.accounts.viewer import viewer_for
from wufei.alerts import policy
from wufei.alerts.engine import rules_loaded
from wufei.alerts.models import (
    ActionKind,
    Alert,
    AlertAction,
    AlertStatus,
    CloseReason,
    RuleSetting,
)
from wufei.alerts.selectors import alert_get_visible, alert_refusal
from wufei.core.audit import audit_append
from wufei.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
NOTE_MAX_CHARS = 4000
# Accepted attachments: extension → the first bytes every such file starts with.
ATTACHMENT_SIGNATURES: Mapping[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}


def refusal_message(reason: str) -> str:
    """The sentence explaining a policy refusal code."""
    messages = {
        "not_a_party": _("You are not a party to this alert."),
        "role_cannot_act": _(
            "Drivers and read-only members cannot act on alerts; ask an administrator or member "
            "of your organisation."
        ),
        "with_unit_manager": _(
            "This alert has been escalated to the unit's manager: only your organisation's "
            "administrators can act on it."
        ),
        "with_regulator": _(
            "This alert has been escalated to the regulator: only the regulator of its region "
            "can act on it."
        ),
    }
    return messages[reason]


def _locked_for_action(*, actor: User, alert_id: int, action: str) -> Alert:
    """The visible alert, locked, once the actor may take `action` on it now."""
    viewer = viewer_for(actor)
    alert_get_visible(viewer=viewer, pk=alert_id)  # NotFound when invisible
    alert = (
        Alert.objects.select_for_update().select_related("organisation", "region").get(pk=alert_id)
    )
    reason = alert_refusal(viewer=viewer, alert=alert)
    if reason is not None:
        raise NotPermitted(refusal_message(reason), code=f"alert_{reason}")
    if not policy.move_allowed(action=action, status=alert.status):
        if alert.status == AlertStatus.CLOSED:
            raise Conflict(_("This alert is closed; a closed alert is final."), code="alert_closed")
        raise Conflict(
            _("This alert has already been acknowledged."), code="alert_already_acknowledged"
        )
    return alert


def _clean_note(note: str, *, required: bool) -> str:
    note = (note or "").strip()
    if required and not note:
        raise ValidationFailed(_("Write a note saying how the alert was handled."), field="note")
    if len(note) > NOTE_MAX_CHARS:
        raise ValidationFailed(
            _("The note is too long (at most %(n)d characters).") % {"n": NOTE_MAX_CHARS},
            field="note",
        )
    return note


def attachment_check(attachment: UploadedFile) -> None:
    """Refuse anything but a PDF, JPEG or PNG file of at most 10 MB (checked by content)."""
    if attachment.size is None or attachment.size > MAX_ATTACHMENT_BYTES:
        raise ValidationFailed(_("The attachment is larger than 10 MB."), field="attachment")
    extension = (attachment.name or "").rsplit(".", 1)[-1].lower()
    signatures = ATTACHMENT_SIGNATURES.get(extension)
    attachment.seek(0)
    head = attachment.read(8)
    attachment.seek(0)
    if signatures is None or not any(head.startswith(s) for s in signatures):
        raise ValidationFailed(
            _("Attach a PDF, JPG or PNG file."), code="attachment_type", field="attachment"
        )


def _record(
    alert: Alert,
    *,
    actor: User,
    kind: str,
    note: str = "",
    attachment: UploadedFile | None = None,
    payload: Mapping[str, object] | None = None,
) -> AlertAction:
    now = timezone.now()
    action = AlertAction(alert=alert, kind=kind, actor=actor, note=note, at=now)
    if attachment is not None:
        action.attachment.save(attachment.name or "attachment", attachment, save=False)
    action.save()
    audit_append(
        actor=actor,
        organisation=alert.organisation,
        action=f"alert.{kind}",
        subject_type="alert",
        subject_id=str(alert.pk),
        payload={"rule": alert.rule, "key": alert.key, "action": action.pk, **(payload or {})},
        occurred_at=now,
    )
    return action


def alert_acknowledge(*, actor: User, alert_id: int, note: str = "") -> Alert:
    """Say the unit (or regulator) has seen the alert: it stops escalating by itself."""
    note = _clean_note(note, required=False)
    with transaction.atomic():
        alert = _locked_for_action(actor=actor, alert_id=alert_id, action="acknowledge")
        alert.status = AlertStatus.ACKNOWLEDGED
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = actor
        alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
        _record(alert, actor=actor, kind=ActionKind.ACKNOWLEDGE, note=note)
    return alert


def alert_note_add(
    *, actor: User, alert_id: int, note: str, attachment: UploadedFile | None = None
) -> AlertAction:
    """Add a note (and optionally a PDF/JPG/PNG of at most 10 MB) to the alert's timeline."""
    note = _clean_note(note, required=attachment is None)
    if attachment is not None:
        attachment_check(attachment)
    with transaction.atomic():
        alert = _locked_for_action(actor=actor, alert_id=alert_id, action="note")
        return _record(
            alert,
            actor=actor,
            kind=ActionKind.NOTE,
            note=note,
            attachment=attachment,
            payload={"attachment": bool(attachment)},
        )


def alert_escalate(*, actor: User, alert_id: int, note: str = "") -> Alert:
    """Move the alert up one level: unit → unit manager → regulator."""
    note = _clean_note(note, required=False)
    with transaction.atomic():
        alert = _locked_for_action(actor=actor, alert_id=alert_id, action="escalate")
        above = policy.next_level(alert.level)
        if above is None:
            raise Conflict(
                _("This alert is already with the regulator, the highest level."),
                code="alert_top_level",
            )
        alert.level = above
        alert.escalated_at = timezone.now()
        alert.save(update_fields=["level", "escalated_at"])
        _record(alert, actor=actor, kind=ActionKind.ESCALATE, note=note, payload={"level": above})
    return alert


def alert_close(*, actor: User, alert_id: int, note: str) -> Alert:
    """Close the alert as handled; the note saying how is required. Closed is final."""
    note = _clean_note(note, required=True)
    with transaction.atomic():
        alert = _locked_for_action(actor=actor, alert_id=alert_id, action="close")
        alert.status = AlertStatus.CLOSED
        alert.close_reason = CloseReason.HANDLED
        alert.closed_at = timezone.now()
        alert.closed_by = actor
        alert.save(update_fields=["status", "close_reason", "closed_at", "closed_by"])
        _record(alert, actor=actor, kind=ActionKind.CLOSE, note=note)
    return alert


def rule_setting_update(
    *, actor: User, rule_code: str, enabled: bool, thresholds: Mapping[str, object]
) -> RuleSetting:
    """Switch a rule on or off and set its thresholds (platform administrators only).

    The thresholds must have exactly the rule's keys: whole numbers ≥ 0 where the default is a
    number, non-empty text where it is text.
    """
    if not actor.is_superuser:
        raise NotPermitted(_("Only platform administrators can change warning rules."))
    rule = rules_loaded().get(rule_code)
    if rule is None:
        raise NotFound(_("No such rule."), code="rule_not_found")
    problems = policy.threshold_problems(rule.defaults, thresholds)
    if problems:
        name, problem = sorted(problems.items())[0]
        raise ValidationFailed(
            _("Threshold %(name)s: %(problem)s.")
            % {"name": name, "problem": _threshold_problem_text(problem)},
            code="threshold_invalid",
            field=name,
        )
    with transaction.atomic():
        setting, _created = RuleSetting.objects.select_for_update().get_or_create(rule=rule_code)
        before = {"enabled": setting.enabled, "thresholds": setting.thresholds}
        setting.enabled = enabled
        setting.thresholds = dict(thresholds)
        setting.save()
        audit_append(
            actor=actor,
            organisation=None,
            action="alert_rule.updated",
            subject_type="alert_rule",
            subject_id=rule_code,
            payload={"before": before, "enabled": enabled, "thresholds": dict(thresholds)},
        )
    return setting


def _threshold_problem_text(problem: str) -> str:
    return {
        "unknown": _("not a threshold of this rule"),
        "missing": _("a value is required"),
        "not_whole_number": _("enter a whole number, 0 or more"),
        "empty": _("a value is required"),
    }[problem]
