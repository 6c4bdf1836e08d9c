"""Demo data for alerts: the warnings the demo year's records deserve, found by the rules.

Nothing is invented: the seeded ledgers, manifests and readings are swept as of the last
moment of the demo year, so the alerts shown are exactly what the rules find in them.
"""

from __future__ import annotations

import random
from datetime import datetime, time

from django.utils import timezone

from wufei.alerts.engine import SweepResult, alerts_sweep


def alerts_demo_seed(*, rng: random.Random, year: int) -> SweepResult:
    """Sweep every rule as of 31 December of the demo year (rng unused: the rules decide)."""
    del rng
    end_of_year = timezone.make_aware(datetime.combine(datetime(year, 12, 31).date(), time(23)))
    return alerts_sweep(now=end_of_year)
