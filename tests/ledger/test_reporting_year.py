"""Yearly pages open on the year that has data: this year once it has events, else the latest."""

from __future__ import annotations

from datetime import date

import pytest

from tests.ledger import ledger_world as lw
from wufei.ledger.models import EventKind
from wufei.ledger.selectors import ledger_reporting_year

pytestmark = pytest.mark.django_db


def test_no_events_means_this_year():
    assert ledger_reporting_year(today=date(2026, 11, 22)) == 2026


def test_a_district_whose_data_stops_earlier_opens_on_its_latest_year():
    w = lw.build_world()
    lw.record(w, EventKind.GENERATE, quantity_g=1000, occurred_at=lw.days_ago(400))
    today = lw.days_ago(0).date()
    assert ledger_reporting_year(today=today) == lw.days_ago(400).year
    lw.record(w, EventKind.GENERATE, quantity_g=1000, occurred_at=lw.days_ago(1))
    assert ledger_reporting_year(today=today) == lw.days_ago(1).year
