"""The official working-day calendar, loaded from the State Council notices (chinesecalendar)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from wufei.core.audit_models import CalendarDay, CalendarYear
from wufei.core.calendar import calendar_load_shipped, calendar_year_set, workday_calendar
from wufei.core.errors import ValidationFailed
from wufei.domain.workdays import CalendarYearUnknown

pytestmark = pytest.mark.django_db


def test_national_day_2025_receipt_deadline():
    """Arrival on 30 September 2025: 1–8 October are off and Saturday 11 October is worked."""
    calendar = workday_calendar()
    assert calendar.add_workdays(date(2025, 9, 30), 5) == date(2025, 10, 14)
    assert calendar.is_workday(date(2025, 10, 11))  # 调休 Saturday
    assert not calendar.is_workday(date(2025, 10, 8))


def test_spring_festival_2026_from_the_loaded_notice():
    calendar = workday_calendar()
    assert calendar.is_workday(date(2026, 2, 14))  # Saturday made a working day
    assert not any(calendar.is_workday(date(2026, 2, d)) for d in range(15, 24))
    assert calendar.add_workdays(date(2026, 2, 13), 5) == date(2026, 2, 27)
    day = CalendarDay.objects.get(day=date(2026, 2, 17))
    assert day.name == "春节"
    assert "chinesecalendar 1.11.0" in day.source
    assert "国务院办公厅关于2026年部分节假日安排的通知" in day.source


def test_a_year_not_loaded_is_not_guessed():
    with pytest.raises(CalendarYearUnknown):
        workday_calendar().add_workdays(date(2026, 12, 28), 5)
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_loading_again_changes_nothing():
    assert CalendarYear.objects.filter(year__gte=2004, year__lte=2026).count() == 23
    assert calendar_load_shipped() == 0
    call_command("load_calendar", verbosity=0)
    assert CalendarDay.objects.filter(day__year=2025).count() == 28 + 5


def test_a_stale_shipped_day_is_corrected_by_reloading():
    CalendarDay.objects.filter(day=date(2025, 10, 8)).update(kind="workday", name="x")
    CalendarDay.objects.create(day=date(2025, 7, 1), kind="holiday", source="chinesecalendar x")
    assert calendar_load_shipped() == 2
    assert CalendarDay.objects.get(day=date(2025, 10, 8)).kind == "holiday"
    assert not CalendarDay.objects.filter(day=date(2025, 7, 1)).exists()


def _set_2027(**overrides):
    fields: dict[str, Any] = {
        "year": 2027,
        "holidays": [date(2027, 1, 1), *(date(2027, 2, d) for d in range(6, 13))],
        "workdays": [date(2027, 2, 14)],
        "source": "国务院办公厅关于2027年部分节假日安排的通知",
    }
    fields.update(overrides)
    return calendar_year_set(**fields)


def test_a_new_year_is_seen_at_once_by_the_cached_calendar():
    before = workday_calendar()
    assert workday_calendar() is before  # cached while nothing changes
    _set_2027()
    calendar = workday_calendar()
    assert calendar is not before
    assert 2027 in calendar.years
    assert calendar.add_workdays(date(2027, 2, 5), 1) == date(2027, 2, 14)


def test_setting_a_year_again_replaces_its_days():
    _set_2027()
    _set_2027(holidays=[date(2027, 1, 1)], workdays=[])
    assert CalendarDay.objects.filter(day__year=2027).count() == 1
    assert workday_calendar().is_workday(date(2027, 2, 8))


def test_an_entered_year_survives_reloading_the_shipped_data():
    _set_2027()
    calendar_year_set(
        year=2026, holidays=[date(2026, 1, 1)], workdays=[], source="manual correction"
    )
    calendar_load_shipped()
    assert CalendarDay.objects.filter(day__year=2026).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"holidays": [date(2028, 1, 1)]}, "holidays"),
        ({"workdays": [date(2027, 2, 8)]}, "workdays"),  # a Monday
        ({"workdays": [date(2027, 2, 6)]}, "workdays"),  # also a holiday
        ({"source": "  "}, "source"),
        ({"year": 1999, "holidays": [], "workdays": []}, "year"),
    ],
)
def test_an_impossible_year_is_refused(overrides, field):
    with pytest.raises(ValidationFailed) as refused:
        _set_2027(**overrides)
    assert refused.value.field == field
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_add_calendar_year_command(capsys):
    call_command(
        "add_calendar_year",
        "2027",
        "--holidays",
        "2027-01-01,2027-02-06..2027-02-12",
        "--workdays",
        "2027-02-14",
    )
    assert "Calendar 2027 set" in capsys.readouterr().out
    assert CalendarDay.objects.filter(day__year=2027, kind="holiday").count() == 8
    notice = "国务院办公厅关于2027年部分节假日安排的通知"
    assert CalendarYear.objects.get(year=2027).source == notice
    with pytest.raises(CommandError, match="not a date"):
        call_command("add_calendar_year", "2027", "--holidays", "2027-02-30")
    with pytest.raises(CommandError, match="本就是工作日"):  # Chinese is the default language
        call_command("add_calendar_year", "2027", "--holidays", "", "--workdays", "2027-02-08")
