"""When the annual solid-waste information bulletin (固体废物污染环境防治信息公告) is due.

Legal basis: 《中华人民共和国固体废物污染环境防治法》(2020) 第二十九条 — 设区的市级人民政府生态环境
主管部门应当会同住房城乡建设、农业农村、卫生健康等主管部门，定期向社会发布固体废物的种类、产生量、
处置能力、利用处置状况等信息. The article says "定期" (periodically) and names no date. The date
comes from the practice of the former 《大中城市固体废物污染环境防治信息发布导则》: a city
publishes the previous year's information before 6 June (on 5 June, World Environment Day, at
the latest).
Whether the 2024 发布指南 keeps that date is unverified, so the rule is one named constant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DEADLINE_MONTH, DEADLINE_DAY = 6, 5  # last day: 5 June of the following year ("before 6 June")


def bulletin_deadline(year: int) -> date:
    """The last day to publish the bulletin on `year`'s figures: 5 June of year + 1."""
    return date(year + 1, DEADLINE_MONTH, DEADLINE_DAY)


def bulletin_year_is_closed(year: int, today: date) -> bool:
    """A bulletin covers a finished calendar year: not the current one, not a future one."""
    return year < today.year


@dataclass(frozen=True)
class DeadlineStatus:
    deadline: date
    days_left: int  # negative once overdue; 0 on the deadline itself
    overdue: bool

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)


def deadline_status(year: int, today: date) -> DeadlineStatus:
    """Days left until (or past) the deadline, as the draft page shows it."""
    deadline = bulletin_deadline(year)
    days_left = (deadline - today).days
    return DeadlineStatus(deadline=deadline, days_left=days_left, overdue=days_left < 0)


def published_late(year: int, published_on: date) -> bool:
    """Publishing after the deadline is allowed but recorded as late."""
    return published_on > bulletin_deadline(year)
