"""`wufei sweep_alerts [--loop SECONDS] [--rule CODE ...]`: run the warning rules.

Events re-run their rules at once (`alerts_on_event`); this sweep catches what only time
changes (a receipt that becomes overdue, a permit that expires) and escalates unacknowledged
alerts. The web process already sweeps every WUFEI_ALERT_SWEEP_SECONDS (wufei/alerts/schedule.py);
run this from cron or as a worker with --loop instead, or run Celery beat
(`celery -A wufei.celery_app worker --beat`, wufei/alerts/celery_tasks.py).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wufei.alerts.engine import alerts_sweep
from wufei.core.errors import ValidationFailed


class Command(BaseCommand):
    help = (
        "Run the warning rules over the whole network: raise, refresh and auto-resolve alerts, "
        "and escalate the ones nobody acknowledged in time. --loop SECONDS keeps running (an "
        "in-process scheduler); --rule CODE (repeatable) runs only those rules. Alternatively, "
        "with WUFEI_CELERY_BROKER_URL set and the celery extra installed, run "
        "`celery -A wufei.celery_app worker --beat`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop", type=float, metavar="SECONDS", help="run again every SECONDS (worker mode)"
        )
        parser.add_argument(
            "--rule", action="append", dest="rules", metavar="CODE", help="run only this rule"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interval = options["loop"]
        if interval is not None and interval <= 0:
            raise CommandError("--loop needs a positive number of seconds")
        while True:
            try:
                result = alerts_sweep(rule_codes=options["rules"])
            except ValidationFailed as error:
                raise CommandError(error.message) from error
            if int(options["verbosity"]) >= 1:
                self.stdout.write(
                    f"alerts: {len(result.rules_run)} rules run, {result.raised} raised, "
                    f"{result.refreshed} refreshed, {result.resolved} resolved, "
                    f"{result.escalated} escalated"
                )
            if result.rules_failed:
                self.stderr.write(f"rules failed: {', '.join(result.rules_failed)}")
            if interval is None:
                return
            time.sleep(interval)
