"""Warnings about documents that run out: operating and transport licences, and cross-province
transfer approvals with quantity left.

A licence is renewed 30 working days before it ends (许可证办法 第十三条第二款), so the
warning comes well before; once renewed (another permit of the same kind takes over) it stops.
An expired licence matters only while its holder still has manifests under way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wufei.alerts.rulebook import Finding, Rule, register
from wufei.alerts.rules.transfer_evidence import (
    approval_evidence,
    int_threshold,
    organisation_evidence,
    permit_evidence,
)
from wufei.domain import alert_transfer as calc
from wufei.domain.ledger_units import tonnes_text
from wufei.domain.transfer_approval import approval_last_day
from wufei.registry.models import Permit, PermitKind
from wufei.transfer.models import ApprovalItem, CrossProvinceApproval, Manifest, ManifestCarrier
from wufei.transfer.rule_failures import COUNTING_STATUSES

# Signed and not yet received: the waste is on its way under these licences.
OPEN_STATUSES = ("ready", "in_transit", "arrived")
WATCHED_KINDS = (
    PermitKind.HW_COMPREHENSIVE,
    PermitKind.HW_COLLECTION,
    PermitKind.HW_SMALL_COLLECTION,
    PermitKind.MEDICAL_WASTE,
    PermitKind.ROAD_HAZMAT,
)


def _renewed_permits(candidates: list[tuple[int, int, str, date]]) -> set[int]:
    """The candidates (pk, holder, kind, valid_until) another permit of the same holder and
    kind takes over from, read in one query."""
    if not candidates:
        return set()
    others: dict[tuple[int, str], list[tuple[int, date, date]]] = defaultdict(list)
    for pk, org, kind, start, end in Permit.objects.filter(
        organisation_id__in={org for _pk, org, _kind, _until in candidates},
        kind__in=WATCHED_KINDS,
        valid_until__gt=min(until for _pk, _org, _kind, until in candidates),
    ).values_list("pk", "organisation_id", "kind", "valid_from", "valid_until"):
        others[(org, kind)].append((pk, start, end))
    return {
        pk
        for pk, org, kind, until in candidates
        if calc.is_renewed(
            until, [(start, end) for other, start, end in others[(org, kind)] if other != pk]
        )
    }


@register
class PermitExpiring(Rule):
    """许可证办法 第十三条第二款: renew before the licence ends; 固废法 第八十条: no operating
    without one."""

    code = "permit_expiring"
    title = _("Licence expiring or expired")
    source = "《危险废物经营许可证管理办法》第十三条第二款；《危险废物转移管理办法》第十三条第三款"
    defaults = {"days": 60, "urgent_days": 30}
    triggers = frozenset({"registry.changed", "manifest.changed"})

    def find(
        self,
        *,
        now: datetime,
        thresholds: Mapping[str, int | str],
        organisation_ids: frozenset[int] | None,
    ) -> Iterator[Finding]:
        days = int_threshold(thresholds, self.defaults, "days")
        urgent_days = int_threshold(thresholds, self.defaults, "urgent_days")
        today = timezone.localdate(now)
        open_work = Exists(
            Manifest.objects.filter(
                receiver_id=OuterRef("organisation_id"), status__in=OPEN_STATUSES
            )
        ) | Exists(
            ManifestCarrier.objects.filter(
                carrier_id=OuterRef("organisation_id"), manifest__status__in=OPEN_STATUSES
            )
        )
        qs = Permit.objects.filter(
            kind__in=WATCHED_KINDS, valid_until__lte=today + timedelta(days=days)
        )
        if organisation_ids is not None:
            qs = qs.filter(organisation_id__in=organisation_ids)
        rows = list(
            qs.annotate(
                has_open_work=open_work,
                region_code=Coalesce("facility__region_id", "organisation__region_id"),
            )
            .filter(Q(valid_until__gte=today) | Q(has_open_work=True))
            .values(
                "pk",
                "number",
                "kind",
                "valid_until",
                "has_open_work",
                "region_code",
                "facility_id",
                "organisation_id",
                "organisation__name",
                "organisation__uscc",
            )
            .order_by("pk")
        )
        renewed = _renewed_permits(
            [(r["pk"], r["organisation_id"], r["kind"], r["valid_until"]) for r in rows]
        )
        for row in rows:
            severity = calc.expiry_severity(
                row["valid_until"],
                today,
                days=days,
                urgent_days=urgent_days,
                counts_if_expired=row["has_open_work"],
            )
            if severity is None or row["pk"] in renewed:
                continue
            yield Finding(
                key=f"permit:{row['pk']}",
                organisation_id=row["organisation_id"],
                region_code=row["region_code"],
                facility_id=row["facility_id"],
                severity=severity,
                facts={
                    "permit": row["number"],
                    "kind": row["kind"],
                    "organisation": row["organisation__name"],
                    "until": row["valid_until"].isoformat(),
                    "days_left": calc.days_left(row["valid_until"], today),
                },
                evidence=(
                    permit_evidence(row["pk"], row["number"]),
                    organisation_evidence(row["organisation__uscc"], row["organisation__name"]),
                ),
            )

    def describe(self, facts: Mapping[str, str | int]) -> str:
        values = dict(facts)
        kind = str(facts.get("kind", ""))
        values["kind"] = str(PermitKind(kind).label) if kind in PermitKind.values else kind
        if int(facts.get("days_left", 0)) < 0:
            return (
                gettext(
                    "%(kind)s %(permit)s of %(organisation)s expired on %(until)s while it still "
                    "has manifests under way."
                )
                % values
            )
        return (
            gettext(
                "%(kind)s %(permit)s of %(organisation)s expires on %(until)s, in %(days_left)s "
                "days."
            )
            % values
        )


@register
class ApprovalExpiring(Rule):
    """转移办法 第二十七条第二款: an approval is valid twelve months at most; quantity not yet
    moved by then needs a new application (第二十八条)."""

    code = "approval_expiring"
    title = _("Cross-province approval expiring with quantity left")
    source = "《危险废物转移管理办法》第二十七条第二款"
    defaults = {"days": 30, "urgent_days": 7}
    triggers = frozenset({"manifest.changed"})

    def find(
        self,
        *,
        now: datetime,
        thresholds: Mapping[str, int | str],
        organisation_ids: frozenset[int] | None,
    ) -> Iterator[Finding]:
        days = int_threshold(thresholds, self.defaults, "days")
        urgent_days = int_threshold(thresholds, self.defaults, "urgent_days")
        today = timezone.localdate(now)
        approved = (
            ApprovalItem.objects.filter(approval=OuterRef("pk"))
            .values("approval")
            .annotate(total=Sum("approved_g"))
            .values("total")
        )
        shipped = (
            Manifest.objects.filter(approval=OuterRef("pk"), status__in=COUNTING_STATUSES)
            .values("approval")
            .annotate(total=Sum(Coalesce("lines__accepted_weight_g", "lines__weight_g")))
            .values("total")
        )
        qs = CrossProvinceApproval.objects.filter(valid_from__lte=today, valid_until__gte=today)
        if organisation_ids is not None:
            qs = qs.filter(shipper_id__in=organisation_ids)
        rows = (
            qs.annotate(
                approved_g=Coalesce(Subquery(approved), 0),
                shipped_g=Coalesce(Subquery(shipped), 0),
            )
            .values(
                "pk",
                "number",
                "valid_from",
                "valid_until",
                "approved_g",
                "shipped_g",
                "shipper_id",
                "shipper__name",
                "shipper__uscc",
                "shipper__region_id",
                "receiver__name",
                "receiver__uscc",
            )
            .order_by("pk")
        )
        for row in rows:
            left_g = row["approved_g"] - row["shipped_g"]
            last = approval_last_day(row["valid_from"], row["valid_until"], licence_until=None)
            severity = calc.expiry_severity(
                last, today, days=days, urgent_days=urgent_days, counts_if_expired=False
            )
            if severity is None or left_g <= 0:
                continue
            yield Finding(
                key=f"approval:{row['pk']}",
                organisation_id=row["shipper_id"],
                region_code=row["shipper__region_id"],
                severity=severity,
                facts={
                    "approval": row["number"],
                    "shipper": row["shipper__name"],
                    "receiver": row["receiver__name"],
                    "until": last.isoformat(),
                    "days_left": calc.days_left(last, today),
                    "left_t": tonnes_text(left_g),
                    "approved_t": tonnes_text(row["approved_g"]),
                },
                evidence=(
                    approval_evidence(row["pk"], row["number"]),
                    organisation_evidence(row["shipper__uscc"], row["shipper__name"]),
                    organisation_evidence(row["receiver__uscc"], row["receiver__name"]),
                ),
            )

    def describe(self, facts: Mapping[str, str | int]) -> str:
        return gettext(
            "Cross-province approval %(approval)s (%(shipper)s to %(receiver)s) ends on "
            "%(until)s, in %(days_left)s days, with %(left_t)s t of %(approved_t)s t not yet "
            "transferred."
        ) % dict(facts)
