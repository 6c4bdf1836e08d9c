"""Warnings about transfers: late receipts, unlicensed receipts, over-capacity receivers and
weights that differ from the manifest.

Each rule reads the manifests in a fixed number of SQL queries (aggregates and EXISTS
subqueries, never one query per manifest) and leaves the arithmetic to
`wufei.domain.alert_transfer`. Permit and approval expiry live in `permit_rules`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Abs, Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wufei.alerts.rulebook import Evidence, Finding, Rule, register
from wufei.alerts.rules import permit_rules  # noqa: F401  (its rules register on import)
from wufei.alerts.rules.handled import keys_closed_as_handled
from wufei.alerts.rules.transfer_evidence import (
    int_threshold,
    manifest_evidence,
    organisation_evidence,
    permit_evidence,
)
from wufei.core.calendar import workday_calendar
from wufei.domain import alert_transfer as calc
from wufei.domain.ledger_units import tonnes_text
from wufei.registry.models import Permit
from wufei.transfer.models import Manifest, ManifestLine
from wufei.transfer.rules import RULES as DOCUMENT_RULES
from wufei.transfer.weights import tonnes_to_grams

# Statuses in which the receiver has taken (some of) the waste.
ACCEPTED_STATUSES = ("accepted", "partially_accepted", "treated")


def _scoped(
    qs: QuerySet[Any], field: str, organisation_ids: frozenset[int] | None
) -> QuerySet[Any]:
    return qs if organisation_ids is None else qs.filter(**{f"{field}__in": organisation_ids})


@register
class ReceiptOverdue(Rule):
    """第十八条: the receiver confirms receipt within five working days of arrival."""

    code = "receipt_overdue"
    title = _("Receipt not confirmed in time")
    source = "《危险废物转移管理办法》第十八条第一款"
    triggers = frozenset({"manifest.changed"})

    def find(
        self,
        *,
        now: datetime,
        thresholds: Mapping[str, int | str],
        organisation_ids: frozenset[int] | None,
    ) -> Iterator[Finding]:
        today = timezone.localdate(now)
        rows = _scoped(
            Manifest.objects.filter(
                status="arrived",
                arrived_at__isnull=False,
                received_at__isnull=True,
                receipt_due_on__lt=today,
            ),
            "receiver_id",
            organisation_ids,
        ).values(
            "pk",
            "number",
            "arrived_at",
            "receipt_due_on",
            "receiver_id",
            "receiver_facility_id",
            "receiver_facility__region_id",
            "receiver__name",
            "receiver__uscc",
            "shipper__name",
            "shipper__uscc",
        )
        calendar = workday_calendar()
        for row in rows.order_by("pk"):
            due: date = row["receipt_due_on"]
            workdays = calc.overdue_workdays(calendar, due, today)
            yield Finding(
                key=f"manifest:{row['pk']}",
                organisation_id=row["receiver_id"],
                region_code=row["receiver_facility__region_id"],
                facility_id=row["receiver_facility_id"],
                severity=calc.HIGH,
                facts={
                    "number": row["number"],
                    "receiver": row["receiver__name"],
                    "shipper": row["shipper__name"],
                    "arrived": timezone.localdate(row["arrived_at"]).isoformat(),
                    "due": due.isoformat(),
                    "days_overdue": workdays if workdays is not None else (today - due).days,
                    "day_unit": "workday" if workdays is not None else "day",
                },
                evidence=(
                    manifest_evidence(row["number"]),
                    organisation_evidence(row["shipper__uscc"], row["shipper__name"]),
                    organisation_evidence(row["receiver__uscc"], row["receiver__name"]),
                ),
            )

    def describe(self, facts: Mapping[str, str | int]) -> str:
        if facts.get("day_unit") == "day":
            return gettext(
                "Manifest %(number)s arrived at %(receiver)s on %(arrived)s; receipt was due "
                "by %(due)s and is %(days_overdue)s calendar days late."
            ) % dict(facts)
        return gettext(
            "Manifest %(number)s arrived at %(receiver)s on %(arrived)s; receipt was due by "
            "%(due)s and is %(days_overdue)s working days late."
        ) % dict(facts)


def _covering_permit(kinds: Iterable[str]) -> Exists:
    """A permit of the line's receiver, of one of `kinds`, valid on the receipt date, listing
    the line's code or its category."""
    return Exists(
        Permit.objects.filter(
            organisation_id=OuterRef("manifest__receiver_id"),
            kind__in=list(kinds),
            valid_from__lte=OuterRef("received_on"),
            valid_until__gte=OuterRef("received_on"),
        ).filter(
            Q(codes=OuterRef("waste_code_id")) | Q(categories=OuterRef("waste_code__category_id"))
        )
    )


@register
class ReceiverPermitMissing(Rule):
    """固废法 第八十条: no operating without a licence, no handing waste to the unlicensed."""

    code = "receiver_permit_missing"
    title = _("Waste received without a covering licence")
    source = "《中华人民共和国固体废物污染环境防治法》第八十条第二款、第三款"
    defaults = {"lookback_days": 365}
    triggers = frozenset({"manifest.changed", "registry.changed"})

    def find(
        self,
        *,
        now: datetime,
        thresholds: Mapping[str, int | str],
        organisation_ids: frozenset[int] | None,
    ) -> Iterator[Finding]:
        since = now - timedelta(days=int_threshold(thresholds, self.defaults, "lookback_days"))
        uncovered = Q(pk__in=[])
        for doc_type, rules in DOCUMENT_RULES.items():
            if rules.receiver_permit_kinds:
                covered = _covering_permit(rules.receiver_permit_kinds)
                uncovered |= Q(manifest__doc_type=doc_type) & Q(~covered)
        rows = (
            _scoped(
                ManifestLine.objects.filter(
                    manifest__status__in=ACCEPTED_STATUSES,
                    manifest__received_at__gte=since,
                    accepted_weight_g__gt=0,
                ),
                "manifest__receiver_id",
                organisation_ids,
            )
            .annotate(received_on=TruncDate("manifest__received_at"))
            .filter(uncovered)
            .values(
                "pk",
                "position",
                "received_on",
                "accepted_weight_g",
                "waste_code__code",
                "manifest_id",
                "manifest__number",
                "manifest__receiver_id",
                "manifest__receiver_facility_id",
                "manifest__receiver_facility__region_id",
                "manifest__receiver__name",
                "manifest__receiver__uscc",
                "manifest__shipper__name",
                "manifest__shipper__uscc",
            )
            .order_by("pk")
        )
        handled = keys_closed_as_handled(self.code)
        for row in rows:
            key = f"line:{row['pk']}"
            if key in handled:
                continue
            yield Finding(
                key=key,
                organisation_id=row["manifest__receiver_id"],
                region_code=row["manifest__receiver_facility__region_id"],
                facility_id=row["manifest__receiver_facility_id"],
                severity=calc.CRITICAL,
                facts={
                    "number": row["manifest__number"],
                    "position": row["position"],
                    "code": row["waste_code__code"],
                    "received": row["received_on"].isoformat(),
                    "accepted_t": tonnes_text(row["accepted_weight_g"]),
                    "receiver": row["manifest__receiver__name"],
                    "shipper": row["manifest__shipper__name"],
                },
                evidence=(
                    manifest_evidence(row["manifest__number"]),
                    organisation_evidence(
                        row["manifest__receiver__uscc"], row["manifest__receiver__name"]
                    ),
                    organisation_evidence(
                        row["manifest__shipper__uscc"], row["manifest__shipper__name"]
                    ),
                ),
            )

    def describe(self, facts: Mapping[str, str | int]) -> str:
        return gettext(
            "%(receiver)s accepted %(accepted_t)s t of %(code)s on %(received)s (manifest "
            "%(number)s, line %(position)s) without an operating licence covering that code "
            "on that day."
        ) % dict(facts)


@register
class ReceiverCapacityExceeded(Rule):
    """经营许可证 sets an annual scale (许可证办法 第十条(四)); operating beyond the licence is
    forbidden (第十五条第一款), and 20 % over it needs a new licence (第十二条(四))."""

    code = "receiver_capacity_exceeded"
    title = _("Licensed annual capacity nearly used or exceeded")
    source = "《危险废物经营许可证管理办法》第十五条第一款、第十二条第（四）项"
    defaults = {"warn_percent": 90}
    triggers = frozenset({"manifest.changed", "registry.changed"})

    def find(
        self,
        *,
        now: datetime,
        thresholds: Mapping[str, int | str],
        organisation_ids: frozenset[int] | None,
    ) -> Iterator[Finding]:
        warn_percent = int_threshold(thresholds, self.defaults, "warn_percent")
        year = timezone.localdate(now).year
        tz = timezone.get_current_timezone()
        start = datetime(year, 1, 1, tzinfo=tz)
        end = datetime(year + 1, 1, 1, tzinfo=tz)
        used = (
            ManifestLine.objects.filter(
                manifest__receiver_permit=OuterRef("pk"),
                manifest__status__in=ACCEPTED_STATUSES,
                manifest__received_at__gte=start,
                manifest__received_at__lt=end,
            )
            .values("manifest__receiver_permit")
            .annotate(total=Sum("accepted_weight_g"))
            .values("total")
        )
        rows = (
            _scoped(
                Permit.objects.filter(annual_capacity_t__gt=0),
                "organisation_id",
                organisation_ids,
            )
            .annotate(
                used_g=Subquery(used),
                region_code=Coalesce("facility__region_id", "organisation__region_id"),
            )
            .filter(used_g__gt=0)
            .values(
                "pk",
                "number",
                "kind",
                "annual_capacity_t",
                "used_g",
                "region_code",
                "facility_id",
                "organisation_id",
                "organisation__name",
                "organisation__uscc",
            )
            .order_by("pk")
        )
        for row in rows:
            capacity_g = tonnes_to_grams(row["annual_capacity_t"])
            severity = calc.capacity_severity(row["used_g"], capacity_g, warn_percent=warn_percent)
            if severity is None:
                continue
            yield Finding(
                key=f"permit:{row['pk']}:{year}",
                organisation_id=row["organisation_id"],
                region_code=row["region_code"],
                facility_id=row["facility_id"],
                severity=severity,
                facts={
                    "permit": row["number"],
                    "organisation": row["organisation__name"],
                    "year": year,
                    "used_t": tonnes_text(row["used_g"]),
                    "capacity_t": tonnes_text(capacity_g),
                    "percent": calc.percent_text(row["used_g"], capacity_g),
                },
                evidence=(
                    permit_evidence(row["pk"], row["number"]),
                    organisation_evidence(row["organisation__uscc"], row["organisation__name"]),
                ),
            )

    def describe(self, facts: Mapping[str, str | int]) -> str:
        return gettext(
            "%(organisation)s has accepted %(used_t)s t in %(year)s under licence %(permit)s, "
            "%(percent)s%% of its annual capacity of %(capacity_t)s t."
        ) % dict(facts)


@register
class WeightDiscrepancy(Rule):
    """第十八条第二款: a quantity that differs from the manifest is told to the shipper and
    reported to the authority of the receiving place."""

    code = "weight_discrepancy"
    title = _("Received weight differs from the manifest")
    source = "《危险废物转移管理办法》第十八条第二款"
    defaults = {
        "threshold_permille": 50,
        "floor_kg": 10,
        "lookback_days": 365,
    }
    triggers = frozenset({"manifest.changed"})

    def find(
        self,
        *,
        now: datetime,
        thresholds: Mapping[str, int | str],
        organisation_ids: frozenset[int] | None,
    ) -> Iterator[Finding]:
        permille = int_threshold(thresholds, self.defaults, "threshold_permille")
        floor_g = int_threshold(thresholds, self.defaults, "floor_kg") * calc.GRAMS_PER_KG
        since = now - timedelta(days=int_threshold(thresholds, self.defaults, "lookback_days"))
        rows = (
            _scoped(
                ManifestLine.objects.filter(
                    received_weight_g__isnull=False,
                    manifest__received_at__gte=since,
                ),
                "manifest__receiver_id",
                organisation_ids,
            )
            .annotate(difference_g=Abs(F("received_weight_g") - F("weight_g")))
            .annotate(difference_permille_g=F("difference_g") * 1000)
            .filter(
                difference_g__gte=floor_g,
                difference_permille_g__gt=F("weight_g") * permille,
            )
            .values(
                "pk",
                "position",
                "weight_g",
                "received_weight_g",
                "waste_code__code",
                "manifest_id",
                "manifest__number",
                "manifest__receiver_id",
                "manifest__receiver_facility_id",
                "manifest__receiver_facility__region_id",
                "manifest__receiver__name",
                "manifest__shipper__name",
            )
            .order_by("pk")
        )
        handled = keys_closed_as_handled(self.code)
        for row in rows:
            key = f"line:{row['pk']}"
            severity = calc.weight_discrepancy_severity(
                row["weight_g"],
                row["received_weight_g"],
                threshold_permille=permille,
                floor_g=floor_g,
            )
            if severity is None or key in handled:
                continue
            number = row["manifest__number"]
            yield Finding(
                key=key,
                organisation_id=row["manifest__receiver_id"],
                region_code=row["manifest__receiver_facility__region_id"],
                facility_id=row["manifest__receiver_facility_id"],
                severity=severity,
                facts={
                    "number": number,
                    "position": row["position"],
                    "code": row["waste_code__code"],
                    "declared_t": tonnes_text(row["weight_g"]),
                    "received_t": tonnes_text(row["received_weight_g"]),
                    "percent": calc.percent_text(
                        abs(row["received_weight_g"] - row["weight_g"]), row["weight_g"]
                    ),
                    "receiver": row["manifest__receiver__name"],
                    "shipper": row["manifest__shipper__name"],
                },
                evidence=(
                    manifest_evidence(number),
                    Evidence(
                        kind="manifest_line",
                        id=str(row["pk"]),
                        label=f"{number} #{row['position']}",
                        url=manifest_evidence(number).url,
                    ),
                ),
            )

    def describe(self, facts: Mapping[str, str | int]) -> str:
        return gettext(
            "Line %(position)s of manifest %(number)s (%(code)s) was declared at %(declared_t)s t "
            "and received at %(received_t)s t by %(receiver)s, a difference of %(percent)s%%."
        ) % dict(facts)
