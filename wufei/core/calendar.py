"""The official holiday and adjusted-workday calendar, held in the database.

Deadlines in working days (危险废物转移管理办法 第十八条: receipt within 5 working days of
arrival) follow the State Council General Office's annual notice on public holidays
(国务院办公厅关于部分节假日安排的通知). The years 2004–2026 ship with the `chinesecalendar`
package, which transcribes those notices; a later year is added by an administrator once its
notice is published (`wufei add_calendar_year`, or the admin). A year that is not loaded is not
guessed: `WorkdayCalendar` raises `CalendarYearUnknown`.

`workday_calendar()` is cached per process and rebuilt when the stored calendar changes: every
write goes through this module and touches `CalendarYear.updated_at`, and each call compares the
count of years and the latest change (one small query) with what its cache was built from.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.core.audit_models import CalendarDay, CalendarDayKind, CalendarYear
from wufei.core.errors import ValidationFailed
from wufei.domain.workdays import WorkdayCalendar

PACKAGE = "chinesecalendar"
NOTICE = "国务院办公厅关于{year}年部分节假日安排的通知"


def _package() -> Any:
    """The `chinese_calendar` module (untyped, so imported dynamically to stay `Any`)."""
    return importlib.import_module("chinese_calendar")


def shipped_source(year: int) -> str:
    return f"{PACKAGE} {_package().__version__} ({NOTICE.format(year=year)})"


def _chinese_names() -> dict[str, str]:
    return {holiday.value: holiday.chinese for holiday in _package().Holiday}


@transaction.atomic
def calendar_load_shipped() -> int:
    """Load every year the package covers; return how many days were added or changed.

    Idempotent: a second run writes nothing. A year an administrator has since entered by hand
    (another `source`) is left as it is.
    """
    package = _package()
    names = _chinese_names()
    wanted: dict[date, CalendarDay] = {}
    for kind, days in (
        (CalendarDayKind.HOLIDAY, package.holidays),
        (CalendarDayKind.WORKDAY, package.workdays),
    ):
        for day, english in days.items():
            wanted[day] = CalendarDay(
                day=day,
                kind=kind,
                name=names.get(english, english)[:50],
                source=shipped_source(day.year),
            )
    years = sorted({day.year for day in wanted})
    manual = set(
        CalendarYear.objects.filter(year__in=years)
        .exclude(source__startswith=PACKAGE)
        .values_list("year", flat=True)
    )
    wanted = {day: row for day, row in wanted.items() if day.year not in manual}
    existing = {row.day: row for row in CalendarDay.objects.filter(day__in=list(wanted))}
    changed = [
        row
        for day, row in wanted.items()
        if day not in existing
        or (existing[day].kind, existing[day].name, existing[day].source)
        != (row.kind, row.name, row.source)
    ]
    stale = CalendarDay.objects.filter(day__year__in=sorted(set(years) - manual)).exclude(
        day__in=list(wanted)
    )
    changed_years = {day.year for day in stale.values_list("day", flat=True)}
    removed, _by_model = stale.delete()
    changed_years |= {row.day.year for row in changed}
    known_years = set(CalendarYear.objects.values_list("year", flat=True))
    changed_years |= {y for y in years if y not in known_years and y not in manual}
    if changed:
        CalendarDay.objects.bulk_create(
            changed,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["day"],
            update_fields=["kind", "name", "source"],
        )
    for year in sorted(changed_years):
        CalendarYear.objects.update_or_create(year=year, defaults={"source": shipped_source(year)})
    return len(changed) + removed


def _validate_year(year: int, holidays: list[date], workdays: list[date]) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationFailed(_("The year must lie between 2000 and 2100."), field="year")
    for field_name, days in (("holidays", holidays), ("workdays", workdays)):
        outside = [d for d in days if d.year != year]
        if outside:
            raise ValidationFailed(
                _("%(day)s is not in %(year)s.") % {"day": outside[0].isoformat(), "year": year},
                field=field_name,
            )
    both = sorted(set(holidays) & set(workdays))
    if both:
        raise ValidationFailed(
            _("%(day)s cannot be both a holiday and an adjusted working day.")
            % {"day": both[0].isoformat()},
            field="workdays",
        )
    weekday_workdays = [d for d in workdays if d.weekday() < 5]
    if weekday_workdays:
        raise ValidationFailed(
            _("%(day)s is a weekday already: adjusted working days fall on weekends.")
            % {"day": weekday_workdays[0].isoformat()},
            field="workdays",
        )


@transaction.atomic
def calendar_year_set(
    *, year: int, holidays: Iterable[date], workdays: Iterable[date], source: str
) -> CalendarYear:
    """Replace one year's calendar with the holidays and adjusted working days of its notice."""
    holiday_list, workday_list = sorted(set(holidays)), sorted(set(workdays))
    _validate_year(year, holiday_list, workday_list)
    source = source.strip()
    if not source:
        raise ValidationFailed(
            _("Name the State Council notice the calendar comes from."),
            field="source",
        )
    if len(source) > 200:
        raise ValidationFailed(_("The source is longer than 200 characters."), field="source")
    CalendarDay.objects.filter(day__year=year).delete()
    CalendarDay.objects.bulk_create(
        [CalendarDay(day=d, kind=CalendarDayKind.HOLIDAY, source=source) for d in holiday_list]
        + [CalendarDay(day=d, kind=CalendarDayKind.WORKDAY, source=source) for d in workday_list]
    )
    calendar_year, _created = CalendarYear.objects.update_or_create(
        year=year, defaults={"source": source}
    )
    return calendar_year


def calendar_year_touch(*, year: int) -> None:
    """Mark a year changed (after its days were edited elsewhere, e.g. in the admin)."""
    CalendarYear.objects.filter(year=year).update(updated_at=timezone.now())


_cache_lock = threading.Lock()
_cache: tuple[tuple[int, Any], WorkdayCalendar] | None = None


def _fingerprint() -> tuple[int, Any]:
    stats = CalendarYear.objects.aggregate(years=Count("year"), latest=Max("updated_at"))
    return stats["years"], stats["latest"]


def _build() -> WorkdayCalendar:
    holidays: list[date] = []
    workdays: list[date] = []
    for day, kind in CalendarDay.objects.values_list("day", "kind"):
        (holidays if kind == CalendarDayKind.HOLIDAY else workdays).append(day)
    return WorkdayCalendar.build(
        years=CalendarYear.objects.values_list("year", flat=True),
        holidays=holidays,
        adjusted_workdays=workdays,
    )


def workday_calendar() -> WorkdayCalendar:
    """The official working-day calendar as stored now (cached while it does not change)."""
    global _cache
    fingerprint = _fingerprint()
    cached = _cache
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    with _cache_lock:
        built = _build()
        _cache = (fingerprint, built)
    return built
