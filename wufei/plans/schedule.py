"""Dates the seed gives as year-month: a project is due at the end of its completion month."""

from __future__ import annotations

from calendar import monthrange
from datetime import date

from wufei.plans.models import Project


def month_end(first: date) -> date:
    return date(first.year, first.month, monthrange(first.year, first.month)[1])


def project_due_on(project: Project) -> date:
    return month_end(project.completion_month)
