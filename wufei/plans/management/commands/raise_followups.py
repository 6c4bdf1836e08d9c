from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from wufei.plans.followups import followups_raise


class Command(BaseCommand):
    help = "Raise 督办 for overdue tasks and projects, resolve those done (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        result = followups_raise(today=options["today"] or timezone.localdate())
        self.stdout.write(f"raised {result.raised}, resolved {result.resolved}")
