"""`wufei seed_demo --scale N --seed S [--reset]`: generate the demo district and print logins.

`make demo` runs it after `load_catalogs` and before `runserver`; the table of logins and the
URL it prints are what a newcomer reads first.
"""

from __future__ import annotations

import time
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wufei.core.errors import DomainError
from wufei.demo.selectors import demo_district_summary
from wufei.demo.services import demo_district_seed
from wufei.domain.demo_plan import DEFAULT_YEAR, DEMO_PASSWORD, district_plan_build

URL = "http://127.0.0.1:8000/"


def _pad(text: str, width: int) -> str:
    """Left-align in a terminal, where a Chinese character takes two columns."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)


class Command(BaseCommand):
    help = (
        "生成演示区（滨江区）/ Generate the demo district modelled on 滨江区 (330108): "
        "organisations, facilities, permits, vehicles, annual waste profiles and demo logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", default="1", help="1 ≈ 滨江区 itself; 2 doubles it.")
        parser.add_argument("--seed", type=int, default=2024, help="Same seed, same data.")
        parser.add_argument("--year", type=int, default=DEFAULT_YEAR, help="The demo year.")
        parser.add_argument("--reset", action="store_true", help="Delete earlier demo data first.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            plan = district_plan_build(
                seed=options["seed"], scale=options["scale"], year=options["year"]
            )
            district = demo_district_seed(plan=plan, reset=options["reset"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        summary = demo_district_summary(district=district)
        out = self.stdout.write
        out(
            self.style.SUCCESS(
                f"演示区已生成 / Demo district generated: {district.name} ({plan.region_code}), "
                f"year {plan.year}, seed {plan.seed}, scale {plan.scale}"
            )
        )
        for label, count in summary.counts:
            out(f"  {_pad(label, 48)} {count:>9,}")
        heading = _pad("年产生量 / annual quantities (t)", 40)
        out(f"{heading} {'district total':>16} {'in profiles':>16}")
        for line in summary.streams:
            out(f"  {_pad(line.label, 38)} {line.target_t:>16,.3f} {line.profiled_t:>16,.3f}")
        out(f"用时 / took {time.monotonic() - started:.1f} s")
        out("")
        out(f"演示账号 / Demo logins — password 密码: {DEMO_PASSWORD}  (demo only / 仅供演示)")
        names = {
            m.key: m.organisation.name for m in district.members.select_related("organisation")
        }
        out(f"  {'username':<16} {_pad('role', 34)} organisation")
        for login in plan.logins:
            org = names.get(login.organisation or "", "") or login.authority or "—"
            out(f"  {login.username:<16} {_pad(login.role, 34)} {org}")
        out("")
        out(f"打开 / Open {URL}")
