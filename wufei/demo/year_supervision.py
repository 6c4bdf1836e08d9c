"""The demo year's supervision layer: filings, devices and readings, warnings, inspections and
cases, indicator inputs, the zero-waste city plan's tasks, projects and 督办 — seeded after the
year's ledger and manifests, removed before them.

Each app seeds its own part (`<app>_demo_seed`); this module only orders them. Warnings are
swept as of 31 December of the demo year, so a newcomer finds several kinds on first start;
inspections and cases come after them because credit ratings read warnings.
"""

from __future__ import annotations

import random
import time
from typing import Any

from django.db.models import Q, QuerySet

from wufei.alerts.demo import alerts_demo_seed
from wufei.alerts.models import Alert
from wufei.enforcement.demo import enforcement_demo_seed
from wufei.enforcement.models import EnforcementCase, Grid, Inspection, KeyUnitEntry
from wufei.indicators.demo import indicators_demo_seed
from wufei.iot.demo import iot_demo_seed
from wufei.iot.models import Device, GpsFix, Reading, Trip, Weighing
from wufei.ledger.filing_demo import filings_demo_seed
from wufei.ledger.filing_models import FilingSubmission, ManagementPlan, ManagementPlanLine
from wufei.plans.demo import plans_demo_clear, plans_demo_year_seed


def demo_supervision_seed(*, seed: int, year: int) -> dict[str, float]:
    """Seed every supervision part for `year`; answer the seconds each took."""
    timings: dict[str, float] = {}
    steps: list[tuple[str, Any]] = [
        ("filings", lambda: filings_demo_seed(rng=random.Random(seed * 31 + 1), year=year)),
        ("devices", lambda: iot_demo_seed(rng=random.Random(seed * 31 + 2), year=year)),
        ("warnings", lambda: alerts_demo_seed(rng=random.Random(seed * 31 + 3), year=year)),
        (
            "inspections",
            lambda: enforcement_demo_seed(rng=random.Random(seed * 31 + 4), year=year),
        ),
        ("indicators", lambda: indicators_demo_seed(year=year)),
        ("plans", lambda: plans_demo_year_seed(rng=random.Random(seed * 31 + 5), year=year)),
    ]
    for name, step in steps:
        began = time.perf_counter()
        step()
        timings[name] = time.perf_counter() - began
    return timings


def _delete(qs: QuerySet[Any]) -> None:
    qs._raw_delete(qs.db)  # one DELETE statement, as in wufei.demo.year_reset


def demo_supervision_clear(*, organisation_ids: list[int], user_ids: list[int]) -> None:
    """Delete what the supervision layer holds about these organisations and users, and the
    demo district's plans."""
    orgs = organisation_ids
    devices = Device.objects.filter(organisation_id__in=orgs)
    vehicles_q = Q(vehicle__organisation_id__in=orgs)
    _delete(GpsFix.objects.filter(Q(device__in=devices) | vehicles_q))
    _delete(Weighing.objects.filter(Q(device__in=devices) | Q(facility__organisation_id__in=orgs)))
    _delete(Trip.objects.filter(vehicles_q))
    _delete(Reading.objects.filter(device__in=devices))
    _delete(devices)
    Alert.objects.filter(organisation_id__in=orgs).delete()  # with their actions
    Inspection.objects.filter(Q(organisation_id__in=orgs) | Q(inspector_id__in=user_ids)).delete()
    Grid.objects.filter(inspectors__in=user_ids).delete()
    EnforcementCase.objects.filter(organisation_id__in=orgs).delete()
    KeyUnitEntry.objects.filter(organisation_id__in=orgs).delete()
    _delete(ManagementPlanLine.objects.filter(plan__organisation_id__in=orgs))
    _delete(ManagementPlan.objects.filter(organisation_id__in=orgs))
    _delete(FilingSubmission.objects.filter(organisation_id__in=orgs))
    plans_demo_clear()
