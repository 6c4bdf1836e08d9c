"""`wufei add_calendar_year 2027 --holidays … --workdays …`: enter a new year's notice."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wufei.core.calendar import NOTICE, calendar_year_set
from wufei.core.errors import ValidationFailed


def parse_days(text: str) -> list[date]:
    """`2027-01-01,2027-02-05..2027-02-11`: comma-separated days and inclusive ranges."""
    days: list[date] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            if ".." in part:
                first_text, last_text = part.split("..", 1)
                first, last = date.fromisoformat(first_text), date.fromisoformat(last_text)
                if last < first:
                    raise CommandError(f"{part}: the range ends before it starts")
                days.extend(first + timedelta(n) for n in range((last - first).days + 1))
            else:
                days.append(date.fromisoformat(part))
        except ValueError as exc:
            raise CommandError(f"{part}: not a date (YYYY-MM-DD) or range") from exc
    return days


class Command(BaseCommand):
    help = (
        "Set one year's official calendar from its State Council notice, replacing what was "
        "stored for that year. Days: comma-separated YYYY-MM-DD, ranges as A..B."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument(
            "--holidays", required=True, help="days off, e.g. 2027-01-01,2027-02-06..2027-02-12"
        )
        parser.add_argument("--workdays", default="", help="weekend days made working days")
        parser.add_argument("--source", default="", help="the notice (default: its usual title)")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        source = options["source"] or NOTICE.format(year=year)
        try:
            calendar_year_set(
                year=year,
                holidays=parse_days(options["holidays"]),
                workdays=parse_days(options["workdays"]),
                source=source,
            )
        except ValidationFailed as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"Calendar {year} set from {source}."))
