"""The filing calendar of one producer with what it submitted (HJ 1259-2022 5.2.2, 7.2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from wufei.accounts.viewer import Viewer
from wufei.domain.filing_periods import period_label
from wufei.domain.supervision_tier import Filing, filings_due_in
from wufei.ledger.filing_models import FilingSubmission, ManagementPlan
from wufei.ledger.supervision import ProducerTier, supervision_of
from wufei.registry.models import Organisation


@dataclass(frozen=True)
class FilingRow:
    filing: Filing
    label: str
    submission: FilingSubmission | None
    status: str  # "submitted" | "late" | "missing" | "open" | "upcoming"

    @property
    def can_submit(self) -> bool:
        return self.submission is None and self.status in ("missing", "open")


@dataclass(frozen=True)
class FilingCalendar:
    tier: ProducerTier
    rows: list[FilingRow]
    plans: list[ManagementPlan]


def _status(filing: Filing, submission: FilingSubmission | None, today: date) -> str:
    if submission is not None:
        on_time = timezone.localdate(submission.submitted_at) <= filing.due
        return "submitted" if on_time else "late"
    if today > filing.due:
        return "missing"
    if today > filing.period_end or filing.kind == "management_plan":
        return "open"
    return "upcoming"


def filing_calendar(*, viewer: Viewer, organisation: Organisation, today: date) -> FilingCalendar:
    """Last year's and this year's filings of the unit's tier, newest deadline first, each with
    its submission; periods not yet begun and deadlines before the unit began are left out."""
    tier = supervision_of(viewer=viewer, organisation=organisation, today=today)
    org = tier.organisation
    submitted = {
        (s.kind, s.period): s
        for s in FilingSubmission.objects.filter(
            organisation=org, due_on__gte=date(today.year - 1, 1, 1)
        ).select_related("submitted_by")
    }
    rows = []
    for year in (today.year - 1, today.year, today.year + 1):
        for filing in filings_due_in(tier.tier, year):
            if filing.period_start > today:
                continue
            if tier.operating_since is not None and filing.due < tier.operating_since:
                continue
            if filing.due < date(today.year - 1, 1, 1):
                continue
            label = period_label(filing)
            submission = submitted.get((str(filing.kind), label))
            rows.append(FilingRow(filing, label, submission, _status(filing, submission, today)))
    rows.sort(key=lambda r: (r.filing.due, str(r.filing.kind)), reverse=True)
    plans = list(
        ManagementPlan.objects.filter(organisation=org)
        .prefetch_related("lines__waste_code")
        .order_by("-year")[:3]
    )
    return FilingCalendar(tier=tier, rows=rows, plans=plans)
