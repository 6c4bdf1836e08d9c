"""Seed the demo district: refuse or reset an occupied one, then write the plan."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from wufei.core.errors import Conflict
from wufei.demo.models import DemoDistrict
from wufei.demo.reset import demo_district_occupied, demo_district_reset
from wufei.demo.writer import demo_district_write
from wufei.domain.demo_district import DistrictPlan


@transaction.atomic
def demo_district_seed(*, plan: DistrictPlan, reset: bool) -> DemoDistrict:
    """Write `plan`; with `reset`, first remove any earlier demo data (all in one transaction)."""
    if reset:
        demo_district_reset()
    elif demo_district_occupied(region_code=plan.region_code):
        raise Conflict(
            _(
                "The demo district %(code)s already holds data; run seed_demo with --reset to "
                "replace the demo data."
            )
            % {"code": plan.region_code},
            code="demo_occupied",
        )
    return demo_district_write(plan=plan)
