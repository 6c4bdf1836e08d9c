"""`wufei seed_demo --scale N --seed S [--reset] [--no-year-events]`: generate the demo district, a
year of its ledger and manifests, and print logins.

`make demo` runs it after `load_catalogs` and before `runserver`; the table of logins and the
URL it prints are what a newcomer reads first. `--no-year-events` (or the setting `WUFEI_DEMO_YEAR =
False`, as in tests) seeds the district alone, in a second or two.
"""

from __future__ import annotations

import argparse
import time
import unicodedata
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wufei.core.errors import DomainError
from wufei.demo.selectors import demo_district_summary
from wufei.demo.year_services import demo_seed
from wufei.demo.year_writer import YearSummary
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
        parser.add_argument(
            "--year-events",
            dest="year_events",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="Also generate a year of ledger events and manifests (default: yes, unless "
            "the setting WUFEI_DEMO_YEAR is False).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            plan = district_plan_build(
                seed=options["seed"], scale=options["scale"], year=options["year"]
            )
            with_year = options["year_events"]
            if with_year is None:
                with_year = getattr(settings, "WUFEI_DEMO_YEAR", True)
            district, year = demo_seed(plan=plan, reset=options["reset"], with_year=with_year)
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
        if year is not None:
            self._year(year, plan.year)
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

    def _year(self, year: YearSummary, demo_year: int) -> None:
        out = self.stdout.write
        out(f"{demo_year}年台账与联单 / ledger and manifests of {demo_year}")
        for label, count in (
            ("容器 / containers (HJ 1276)", year.containers),
            ("台账记录 / ledger events (HJ 1259)", year.events),
            ("转移联单 / transfer manifests", year.manifests),
            ("签名 / signatures with copies of record", year.signatures),
            ("审计日志 / audit log entries", year.audit_entries),
        ):
            out(f"  {_pad(label, 48)} {count:>9,}")
        problems = ", ".join(f"{kind} {n}" for kind, n in sorted(year.incidents.items()))
        out(f"  预设问题 / seeded problems: {problems}")
        timings = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in year.timings.items())
        out(f"  用时 / took: {timings}")
