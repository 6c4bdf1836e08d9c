"""`wufei refresh_rollups [--all] [--check]`: bring the maintained aggregates up to date.

Readers refresh stale partitions themselves and the periodic sweep does it in the background;
run this from cron on a deployment without the in-process sweep, `--all` after restoring a
database, and `--check` to prove the cells still equal the raw rows.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wufei.rollups.consistency import rollups_differences
from wufei.rollups.refresh import rollups_rebuild_all, rollups_refresh


class Command(BaseCommand):
    help = (
        "Rebuild the aggregates' partitions marked stale by writes to the ledger and the "
        "manifests. --all rebuilds every cell; --check then compares each year's flows and "
        "indicator inputs with the raw rows and fails on any difference."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="rebuild every cell")
        parser.add_argument(
            "--check", action="store_true", help="compare the cells with the raw rows"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = rollups_rebuild_all() if options["all"] else rollups_refresh()
        self.stdout.write(
            f"{summary.partitions} partitions rebuilt: {summary.flow_cells} flow cells, "
            f"{summary.spine_cells} indicator cells"
        )
        if options["check"]:
            differences = rollups_differences()
            for line in differences:
                self.stderr.write(line)
            if differences:
                raise CommandError(f"{len(differences)} differences between cells and raw rows")
            self.stdout.write("cells equal the raw rows")
