"""`wufei load_regions`: load the shipped GB/T 2260 division table (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from wufei.registry.models import Region
from wufei.registry.regions import region_load_shipped


class Command(BaseCommand):
    help = "Load the administrative divisions shipped with Wufei (province to county level)."

    def handle(self, *args: Any, **options: Any) -> None:
        created = region_load_shipped()
        self.stdout.write(f"{created} regions created, {Region.objects.count()} in total.")
