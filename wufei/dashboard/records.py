"""The records behind one figure of the map: the ledger events or documents it sums.

Each metric narrows the same scoped queryset the figure was summed from
(`scope_events`, `scope_manifests`), and the page shows the sum of what it lists, so a
visitor can check the figure line by line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from wufei.core.errors import ValidationFailed
from wufei.dashboard.selectors import (
    TONNAGE_KINDS,
    Scope,
    line_weight,
    scope_events,
    scope_in_transit,
    scope_manifests,
    scope_overdue,
)
from wufei.ledger.models import LedgerEvent
from wufei.transfer.models import DocType, Manifest, ManifestLine

EVENT_METRICS = tuple(k.value for k in TONNAGE_KINDS)
MANIFEST_METRICS = ("stream", "flow", "in_transit", "overdue")


@dataclass(frozen=True)
class Records:
    metric: str
    events: QuerySet[LedgerEvent] | None
    manifests: QuerySet[Manifest] | None
    total_g: int

    @property
    def rows(self) -> QuerySet[Any]:
        return self.events if self.events is not None else self.manifests  # type: ignore[return-value]


def _number(params: dict[str, str], name: str) -> int | None:
    value = params.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise ValidationFailed(_("Not a number: %(value)s") % {"value": value}, field=name)
    return int(value)


def dashboard_records(*, scope: Scope, metric: str, params: dict[str, str]) -> Records:
    """The events or manifests summed by the figure `metric` (with its filters)."""
    if metric in EVENT_METRICS:
        events = scope_events(scope).filter(kind=metric)
        if code := params.get("code", "").strip():
            events = events.filter(waste_code__code=code)
        month = _number(params, "month")
        if month is not None:
            events = events.filter(occurred_at__month=month)
        total = events.aggregate(g=Sum("quantity_g"))["g"] or 0
        events = events.select_related(
            "organisation", "facility", "waste_code", "container", "manifest"
        ).order_by("-occurred_at", "-id")
        return Records(metric, events, None, int(total))
    if metric not in MANIFEST_METRICS:
        raise ValidationFailed(
            _("Unknown figure “%(metric)s”.") % {"metric": metric}, field="metric"
        )
    if metric == "in_transit":
        manifests = scope_in_transit(scope)
    elif metric == "overdue":
        manifests = scope_overdue(scope)
    else:
        manifests = scope_manifests(scope)
    if metric == "stream":
        doc_type = params.get("doc_type", "")
        if doc_type not in DocType.values:
            raise ValidationFailed(_("Unknown document type."), field="doc_type")
        manifests = manifests.filter(doc_type=doc_type)
    if metric == "flow":
        source, target = _number(params, "from"), _number(params, "to")
        if source is not None:
            manifests = manifests.filter(shipper_facility_id=source)
        if target is not None:
            manifests = manifests.filter(receiver_facility_id=target)
    lines = ManifestLine.objects.filter(manifest__in=manifests.values("pk"))
    total = lines.aggregate(g=Sum(line_weight()))["g"] or 0
    manifests = manifests.annotate(
        weight_g=Sum(Coalesce("lines__accepted_weight_g", "lines__weight_g"))
    )
    return Records(metric, None, manifests, int(total))
