"""Developer and demo settings: the embedded default (SQLite unless DATABASE_URL is set)."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = True
VAR_DIR.mkdir(parents=True, exist_ok=True)
# The demo's warnings are swept as of the end of its year; sweeping at today's date would judge
# a frozen 2024 district by 2026's calendar. Set WUFEI_ALERT_SWEEP_SECONDS to sweep anyway.
WUFEI_ALERT_SWEEP_SECONDS = float(os.environ.get("WUFEI_ALERT_SWEEP_SECONDS", "0"))
