"""Seed the demo district and, unless asked not to, a year of its ledger and manifests.

One transaction: a failure anywhere leaves the database as it was. The district remembers where
the audit log stood before it, so that a later reset knows whether the whole log is the demo's.
"""

from __future__ import annotations

import time

from django.db import transaction
from django.utils.translation import gettext as _

from wufei.core.audit import audit_chain_summary
from wufei.core.calendar import workday_calendar
from wufei.core.errors import ValidationFailed
from wufei.demo.models import DemoDistrict
from wufei.demo.services import demo_district_seed
from wufei.demo.year_supervision import demo_supervision_seed
from wufei.demo.year_writer import YearSummary, demo_year_write
from wufei.domain.demo_district import DistrictPlan
from wufei.domain.demo_events import year_events_plan
from wufei.domain.workdays import CalendarYearUnknown
from wufei.rollups.refresh import rollups_refresh


@transaction.atomic
def demo_seed(
    *, plan: DistrictPlan, reset: bool, with_year: bool
) -> tuple[DemoDistrict, YearSummary | None]:
    """The district of `plan`, and its generated year when `with_year`."""
    district = demo_district_seed(plan=plan, reset=reset)
    last, _hash = audit_chain_summary()
    district.audit_from = last + 1
    district.save(update_fields=["audit_from"])
    if not with_year:
        return district, None
    try:
        year = year_events_plan(plan=plan, calendar=workday_calendar())
    except CalendarYearUnknown as exc:
        raise ValidationFailed(
            _(
                "The official holiday calendar lacks a year the demo needs (%(reason)s): run "
                "`wufei load_catalogs`, or seed another year."
            )
            % {"reason": exc},
            code="demo_calendar_missing",
        ) from exc
    summary = demo_year_write(district=district, year=year)
    started = time.monotonic()
    rollups_refresh()
    summary.timings["aggregates"] = round(time.monotonic() - started, 2)
    for name, seconds in demo_supervision_seed(seed=plan.seed, year=plan.year).items():
        summary.timings[name] = round(seconds, 2)
    return district, summary
