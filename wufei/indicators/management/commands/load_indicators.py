"""`wufei load_indicators`: load the shipped indicator sets; running it again changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from wufei.indicators.loading import indicators_load_shipped


class Command(BaseCommand):
    help = (
        "Load the shipped indicator sets (无废城市 2021 framework, partial; the 13 circular-economy"
        " indicators of seed 001; the local blueprint set of seed 003). Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        changed = indicators_load_shipped()
        if int(options["verbosity"]) >= 1:
            self.stdout.write(f"Indicators: {changed} added/changed.")
