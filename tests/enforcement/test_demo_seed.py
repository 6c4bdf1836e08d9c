"""The demo seed builds grids for the three streets, visits with findings and two cases."""

from __future__ import annotations

import random

import pytest

from tests.ledger.ledger_world import build_world, record
from tests.registry import factories as f
from wufei.domain.demo_geography import TOWNSHIPS
from wufei.enforcement.demo import enforcement_demo_seed
from wufei.enforcement.models import EnforcementCase, Grid
from wufei.ledger.models import EventKind
from wufei.registry.models import Organisation
from wufei.registry.regions import region_add_township, region_resolve

pytestmark = pytest.mark.django_db


def test_demo_seed() -> None:
    w = build_world()
    county = region_resolve("330108")
    streets = [region_add_township(parent=county, code=t.code, name=t.name) for t in TOWNSHIPS]
    for i in range(12):
        org = f.make_org(is_producer=True)
        Organisation.objects.filter(pk=org.pk).update(region=streets[i % 3])
        org.refresh_from_db()
        w.prod, w.gen = org, f.make_facility(org)
        f.make_member(w.alice, org)
        record(w, EventKind.GENERATE, organisation=org, facility=w.gen)
    result = enforcement_demo_seed(rng=random.Random(2024), year=2024)
    assert result.grids == 3 == Grid.objects.count()
    assert result.inspections > 0
    assert EnforcementCase.objects.count() == result.cases == 2
