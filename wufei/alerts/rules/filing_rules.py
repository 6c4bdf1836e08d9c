"""Warning about filings not made: a declaration or management plan whose deadline in the unit's
tier calendar has passed with nothing submitted (固废法 第七十八条; HJ 1259-2022 5.2.2, 7.2).

The tier and calendar come from `wufei.ledger.supervision` (the same decision its pages show),
submissions from `FilingSubmission`; the check is two grouped reads whatever the number of units.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import ClassVar

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wufei.alerts.rulebook import Evidence, Finding, Rule, register
from wufei.alerts.rules.transfer_evidence import int_threshold
from wufei.domain.filing_periods import is_late, period_label
from wufei.domain.supervision_tier import filings_due_in
from wufei.ledger.filing_models import FilingSubmission
from wufei.ledger.supervision import supervision_tiers
from wufei.registry.models import Organisation


@register
class FilingMissing(Rule):
    """固废法 第七十八条: a producer files its management plan and declares what it generated;
    HJ 1259-2022 5.2.2 (plan by 31 March) and 7.2.1–7.2.3 (monthly, quarterly, annual
    declarations by tier) set the deadlines."""

    code = "filing_missing"
    title = _("Filing not submitted")
    source = "《固体废物污染环境防治法》第七十八条；HJ 1259-2022 5.2、7.2"
    defaults: ClassVar[Mapping[str, int | str]] = {"late_days_high": 30, "lookback_days": 365}
    triggers = frozenset({"filing.changed", "ledger.recorded"})

    def find(
        self,
        *,
        now: datetime,
        thresholds: Mapping[str, int | str],
        organisation_ids: frozenset[int] | None,
    ) -> Iterable[Finding]:
        high_after = int_threshold(thresholds, self.defaults, "late_days_high")
        lookback = int_threshold(thresholds, self.defaults, "lookback_days")
        today = timezone.localdate(now)
        producers = Organisation.objects.filter(is_producer=True).select_related("region")
        if organisation_ids is not None:
            producers = producers.filter(pk__in=organisation_ids)
        units = supervision_tiers(list(producers.order_by("pk")), today)
        if not units:
            return
        filed = set(
            FilingSubmission.objects.filter(
                organisation_id__in=[u.organisation.pk for u in units],
                due_on__gte=today - timedelta(days=lookback),
            ).values_list("organisation_id", "kind", "period")
        )
        for unit in units:
            if unit.operating_since is None:
                continue  # no ledger and nothing declared: nothing is known to be due
            org = unit.organisation
            for year in (today.year - 1, today.year):
                for filing in filings_due_in(unit.tier, year):
                    if not is_late(filing, today=today) or (today - filing.due).days > lookback:
                        continue
                    if filing.due < unit.operating_since:
                        continue  # due before the unit began
                    label = period_label(filing)
                    if (org.pk, str(filing.kind), label) in filed:
                        continue
                    late = (today - filing.due).days
                    yield Finding(
                        key=f"filing:{org.pk}:{filing.kind}:{label}",
                        organisation_id=org.pk,
                        region_code=org.region_id,
                        severity="high" if late > high_after else "medium",
                        facts={
                            "organisation": org.name,
                            "kind": str(filing.kind),
                            "period": label,
                            "due": filing.due.isoformat(),
                            "days_late": late,
                            "tier": str(unit.tier),
                            "clause": filing.clause,
                        },
                        evidence=(
                            Evidence(
                                kind="organisation",
                                id=org.uscc,
                                label=org.name,
                                url=reverse("ledger:tier", kwargs={"uscc": org.uscc}),
                            ),
                        ),
                    )

    def describe(self, facts: Mapping[str, str | int]) -> str:
        kinds = {
            "monthly": gettext("Monthly report"),
            "quarterly": gettext("Quarterly report"),
            "annual": gettext("Annual report"),
            "management_plan": gettext("Management plan filing"),
        }
        return gettext(
            "%(organisation)s has not submitted the %(kind)s for %(period)s, due on %(due)s "
            "(%(days_late)s days late, %(clause)s)."
        ) % {**facts, "kind": kinds.get(str(facts.get("kind")), facts.get("kind"))}
