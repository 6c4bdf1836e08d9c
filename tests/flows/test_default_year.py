"""With no year asked for, flows open on the latest year that has ledger data."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from tests.ledger import ledger_world as lw
from wufei.flows.selectors import flow_query_parse
from wufei.ledger.models import EventKind

pytestmark = pytest.mark.django_db


def test_no_data_means_this_year():
    query = flow_query_parse()
    assert query.start == date(timezone.localdate().year, 1, 1)


def test_data_that_stops_in_an_earlier_year_opens_that_year():
    w = lw.build_world()
    when = lw.days_ago(400)
    lw.record(w, EventKind.GENERATE, quantity_g=1000, occurred_at=when)
    query = flow_query_parse()
    assert query.start == date(when.year, 1, 1)
    assert flow_query_parse(year=str(timezone.localdate().year)).start.year == (
        timezone.localdate().year
    )
