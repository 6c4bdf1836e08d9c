"""Generation (B.1) and store-in (B.2) of a demo year: every gram of every producer's line.

Each line's annual quantity (tonnes exact to the kilogram) becomes integer grams, split over
the periods a producer of its size records in — weekly from 10 t a year, monthly from 1 t,
else quarterly; medical institutions weekly from 5 t, else monthly (aggregated per week or month
rather than daily, to keep the demo quick) — and each period's quantity over containers no
fuller than their type allows. HJ 1259-2022 6.2 asks for one record per container, so each
container is one generation event followed, a little later, by its store-in. The splits use
exact apportionment, so a line's events add up to its annual quantity to the gram.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from wufei.domain.apportion import apportion
from wufei.domain.demo_district import HAZARDOUS, MEDICAL, OrganisationPlan, WasteLine
from wufei.domain.demo_year_book import Lot, YearBook, at
from wufei.domain.demo_year_records import GENERATE, STORE_IN
from wufei.domain.workdays import WorkdayCalendar

GRAMS_PER_TONNE = 1_000_000
PRODUCTION = "MF001"
STORAGE = "TS001"
BIG_LINE_T = Decimal("2")  # from here a line fills the larger container of its kind
MEDICAL_WEEKLY_T = Decimal("5")
MIN_CONTAINERS = 4
MEDICAL_BATCH_G = 1_000_000


@dataclass(frozen=True)
class Packing:
    physical_form: str
    container_type: str
    volume_l: int
    max_kg: int


def _p(form: str, kind: str, volume: int, kg: int) -> Packing:
    return Packing(form, kind, volume, kg)


# By category (or exact code): the container of a small line, then of a big one.
PACKING: dict[str, tuple[Packing, Packing]] = {
    "HW01": (_p("固态", "周转箱", 120, 20), _p("固态", "周转箱", 120, 20)),
    "HW02": (_p("固态", "桶", 200, 150), _p("固态", "吨袋", 1000, 800)),
    "HW03": (_p("固态", "箱", 60, 30), _p("固态", "桶", 200, 150)),
    "HW06": (_p("液态", "桶", 200, 160), _p("液态", "吨桶", 1000, 850)),
    "HW08": (_p("液态", "桶", 200, 170), _p("液态", "吨桶", 1000, 880)),
    "HW09": (_p("液态", "桶", 200, 190), _p("液态", "吨桶", 1000, 950)),
    "HW12": (_p("半固态", "桶", 200, 180), _p("半固态", "吨桶", 1000, 900)),
    "HW13": (_p("固态", "桶", 200, 150), _p("固态", "吨袋", 1000, 800)),
    "HW16": (_p("液态", "桶", 200, 190), _p("液态", "吨桶", 1000, 950)),
    "HW17": (_p("半固态", "桶", 200, 200), _p("半固态", "吨袋", 1000, 1000)),
    "HW18": (_p("固态", "吨袋", 1000, 1000), _p("固态", "吨袋", 1000, 1200)),
    "HW22": (_p("液态", "桶", 200, 220), _p("液态", "吨桶", 1000, 1200)),
    "HW29": (_p("固态", "箱", 60, 20), _p("固态", "箱", 120, 40)),
    "HW31": (_p("固态", "托盘", 1000, 500), _p("固态", "托盘", 1000, 1000)),
    "HW34": (_p("液态", "桶", 200, 220), _p("液态", "吨桶", 1000, 1150)),
    "HW35": (_p("液态", "桶", 200, 220), _p("液态", "吨桶", 1000, 1150)),
    "HW49": (_p("固态", "袋", 200, 60), _p("固态", "吨袋", 1000, 500)),
    "900-047-49": (_p("固态", "桶", 60, 40), _p("固态", "桶", 200, 150)),
    "900-045-49": (_p("固态", "吨袋", 1000, 600), _p("固态", "吨袋", 1000, 800)),
    "398-051-22": (_p("半固态", "吨袋", 1000, 900), _p("半固态", "吨袋", 1000, 1100)),
    "900-210-08": (_p("半固态", "桶", 200, 200), _p("半固态", "吨袋", 1000, 1000)),
}
DEFAULT_PACKING = (_p("固态", "桶", 200, 150), _p("固态", "吨袋", 1000, 800))


def packing(code: str, annual_t: Decimal) -> Packing:
    small, big = PACKING.get(code) or PACKING.get(f"HW{code[-2:]}") or DEFAULT_PACKING
    return big if annual_t >= BIG_LINE_T else small


def coded_lines(org: OrganisationPlan) -> list[WasteLine]:
    """The lines that carry a code of the national list: the ones the ledger records."""
    return [w for w in org.waste if w.stream in (HAZARDOUS, MEDICAL)]


def medical_periods(year: int, org: OrganisationPlan) -> list[tuple[date, date]]:
    """A medical institution's recording periods: weeks from 5 t a year, else months."""
    total = sum((w.annual_t for w in coded_lines(org)), Decimal(0))
    if total >= MEDICAL_WEEKLY_T:
        starts = [date(year, 1, 1) + timedelta(weeks=n) for n in range(53)]
        return [
            (s, min(s + timedelta(days=6), date(year, 12, 31))) for s in starts if s.year == year
        ]
    return [(date(year, m, 1), _month_end(year, m)) for m in range(1, 13)]


def container_count(line: WasteLine, pack: Packing) -> int:
    """Containers a hazardous line fills in a year: as many as its quantity needs at 80 % of
    the type's limit, and at least one a quarter (a half-full drum is sealed to be shipped)."""
    needed = math.ceil(line.annual_t * 1000 / (pack.max_kg * Decimal("0.8")))
    return max(needed, MIN_CONTAINERS)


def even_spans(year: int, n: int) -> list[tuple[date, date]]:
    """The year cut into `n` spans of (nearly) equal length: first and last day of each."""
    first = date(year, 1, 1)
    length = (date(year + 1, 1, 1) - first).days
    starts = [first + timedelta(days=length * i // n) for i in range(n)]
    ends = [s - timedelta(days=1) for s in starts[1:]] + [date(year, 12, 31)]
    return [(a, max(a, b)) for a, b in zip(starts, ends, strict=True)]


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def work_days(calendar: WorkdayCalendar, start: date, end: date) -> list[date]:
    """Working days in [start, end]; every day if the span has none (a long holiday)."""
    days = _days(start, end)
    return [d for d in days if calendar.is_workday(d)] or days


def generate_year(
    book: YearBook,
    *,
    year: int,
    calendar: WorkdayCalendar,
    producers: list[OrganisationPlan],
    staff: dict[str, tuple[str, str]],
) -> None:
    """Generation and store-in of every coded line of every producer, into `book`."""
    rng = book.rng
    for org in producers:
        medical_spans = medical_periods(year, org)
        for line in coded_lines(org):
            grams = int(line.annual_t * GRAMS_PER_TONNE)
            pack = packing(line.code, line.annual_t)
            if line.stream == MEDICAL:
                spans = medical_spans
            else:
                spans = even_spans(year, container_count(line, pack))
            shares = apportion(grams, [rng.randint(85, 100) for _ in spans])
            for (start, end), quantity in zip(spans, shares, strict=True):
                medical = line.stream == MEDICAL
                days = _days(start, end) if medical else work_days(calendar, start, end)
                # A big hospital's week fills several carts: one record and label per tonne.
                batches = math.ceil(quantity / MEDICAL_BATCH_G) if medical else 1
                for grams_in_batch in apportion(quantity, [1] * batches):
                    if grams_in_batch:
                        store_batch(
                            book,
                            org=org,
                            line=line,
                            pack=pack,
                            day=rng.choice(days),
                            grams=grams_in_batch,
                            staff=staff[org.key],
                        )


def store_batch(
    book: YearBook,
    *,
    org: OrganisationPlan,
    line: WasteLine,
    pack: Packing,
    day: date,
    grams: int,
    staff: tuple[str, str],
    shippable: bool = True,
) -> tuple[int, int]:
    """One container generated (B.1) and stored (B.2): the refs of both events.

    A medical batch is a week's or a month's boxes under one record and one label.
    """
    rng = book.rng
    count = math.ceil(grams / (pack.max_kg * 1000)) if line.stream == MEDICAL else 1
    made = at(day, rng.randint(8 * 60, 17 * 60))
    container = book.container(
        owner=org.key,
        code=line.code,
        day=day,
        container_type=pack.container_type,
        volume_l=pack.volume_l,
    )
    generated = book.event(
        owner=org.key,
        facility=PRODUCTION,
        kind=GENERATE,
        at=made,
        code=line.code,
        quantity_g=grams,
        container=container,
        handled_by=staff[0],
        container_type=pack.container_type,
        container_count=count,
        destination="贮存",
    )
    stored_at = made + timedelta(minutes=rng.randint(20, 150))
    stored = book.event(
        owner=org.key,
        facility=STORAGE,
        kind=STORE_IN,
        at=stored_at,
        handled_by=staff[1],
        second_handler=staff[0],
        source=generated,
        code=line.code,
        quantity_g=grams,
        container=container,
        container_type=pack.container_type,
        container_count=count,
    )
    if shippable:
        book.lots[org.key].append(
            Lot(
                event=stored,
                owner=org.key,
                code=line.code,
                quantity_g=grams,
                ready_at=stored_at,
                receiver=line.receiver,
                method=line.treatment_method,
                containers=(container,),
                container_count=count,
                container_type=pack.container_type,
                physical_form=pack.physical_form,
                medical=line.stream == MEDICAL,
            )
        )
    return generated, stored
