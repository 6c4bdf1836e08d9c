"""`wufei load_catalogs`: load the shipped national code lists; running it again changes nothing.

The GB/T 2260 administrative divisions are a national code list too, so they load here as well.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wufei.catalog.loading import catalog_load_shipped
from wufei.core.calendar import calendar_load_shipped
from wufei.core.errors import ValidationFailed
from wufei.indicators.loading import indicators_load_shipped
from wufei.registry.regions import region_load_shipped


class Command(BaseCommand):
    help = (
        "Load the shipped 国家危险废物名录 (2021), its exemption list, the classes of the "
        "non-hazardous streams, the treatment-method codes, the GB/T 2260 divisions and the "
        "无废城市 indicator sets. Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = int(options["verbosity"])
        regions_created = region_load_shipped()
        if verbosity >= 1:
            self.stdout.write(f"GB/T 2260 administrative divisions: {regions_created} added.")
        calendar_changed = calendar_load_shipped()
        if verbosity >= 1:
            self.stdout.write(f"Official holiday calendar: {calendar_changed} days added/changed.")
        try:
            report = catalog_load_shipped(verbosity=verbosity)
        except ValidationFailed as exc:
            raise CommandError(exc.message) from exc
        if verbosity >= 1:
            for line in report.lines():
                self.stdout.write(line)
            self.stdout.write(
                self.style.SUCCESS("Catalogs loaded." if report.changed else "Catalogs up to date.")
            )
        indicators_changed = indicators_load_shipped()
        if verbosity >= 1:
            self.stdout.write(f"Indicator sets: {indicators_changed} indicators added/changed.")
