from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wufei.plans.loading import plans_load


class Command(BaseCommand):
    help = "Load the seed 002 task and project lists (wufei/plans/data/)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", default="330108")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = plans_load(region_code=options["region"])
        self.stdout.write(
            f"{plan.name}: {plan.tasks.count()} tasks, {plan.projects.count()} projects"
        )
