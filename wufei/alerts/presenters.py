"""How an alert reads: its rule's title, source and message, for pages and the API."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from wufei.alerts.engine import rules_loaded
from wufei.alerts.models import Alert

logger = logging.getLogger(__name__)

EVIDENCE_KINDS = {
    "manifest": _("Manifest"),
    "ledger_event": _("Ledger event"),
    "container": _("Container"),
    "facility": _("Facility"),
    "permit": _("Licence"),
    "weighing": _("Weighing"),
    "trip": _("Trip"),
    "approval": _("Cross-province approval"),
    "organisation": _("Organisation"),
    "vehicle": _("Vehicle"),
}


@dataclass(frozen=True)
class EvidenceLink:
    kind: str
    label: str
    url: str


def evidence_links(alert: Alert) -> list[EvidenceLink]:
    """The alert's evidence with each kind named in the reader's language."""
    links = []
    for item in alert.evidence or []:
        kind = str(item.get("kind", ""))
        links.append(
            EvidenceLink(
                kind=str(EVIDENCE_KINDS.get(kind, kind)),
                label=str(item.get("label", "")),
                url=str(item.get("url", "")),
            )
        )
    return links


@dataclass(frozen=True)
class AlertText:
    title: str
    source: str
    message: str


def alert_text(alert: Alert) -> AlertText:
    """Title, cited source and message of an alert; a rule since removed shows its code."""
    rule = rules_loaded().get(alert.rule)
    if rule is None:
        return AlertText(title=alert.rule, source="", message="")
    try:
        message = rule.describe(alert.facts)
    except (KeyError, TypeError, ValueError):
        logger.exception("rule %s could not describe alert %s", alert.rule, alert.pk)
        message = str(rule.title)
    return AlertText(title=str(rule.title), source=str(rule.source), message=message)
