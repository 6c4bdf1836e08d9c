"""`wufei build_geojson`: write the demo district's illustrative map for the dashboard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wufei.dashboard.geo_build import GEO_DIR, demo_district_write


class Command(BaseCommand):
    help = "Write the demo district's GeoJSON (illustrative boxes, verified: false)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", default=str(GEO_DIR), help="directory to write into")

    def handle(self, *args: Any, **options: Any) -> None:
        path = demo_district_write(Path(options["out"]))
        self.stdout.write(f"wrote {path}")
