"""`wufei load_calendar`: load the shipped official holiday calendar (2004–2026). Idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from wufei.core.calendar import calendar_load_shipped


class Command(BaseCommand):
    help = (
        "Load the holidays and adjusted working days of the State Council's annual notices, as "
        "transcribed by the chinesecalendar package. Running it again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        changed = calendar_load_shipped()
        if int(options["verbosity"]) >= 1:
            self.stdout.write(f"Official holiday calendar: {changed} days added or changed.")
