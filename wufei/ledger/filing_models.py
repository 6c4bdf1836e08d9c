"""What a producer filed: its yearly management plan (HJ 1259-2022 5.2) and its periodic
declarations (7.2), as submitted through the platform.

A filing is written once and never edited; its `content` keeps the period's totals computed
from the ledger at the moment of submission, so the declaration stays what was declared even if
the ledger is corrected later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

FILING_KIND_CHOICES = [
    ("monthly", _("Monthly report")),
    ("quarterly", _("Quarterly report")),
    ("annual", _("Annual report")),
    ("management_plan", _("Management plan filing")),
]


class ManagementPlan(models.Model):
    """A unit's hazardous-waste management plan for one year (固废法 第七十八条, HJ 1259 5.2)."""

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="management_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(  # None: imported or seeded, not filed by a person here
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_plan_per_year")
        ]
        verbose_name = _("management plan")
        verbose_name_plural = _("management plans")

    def __str__(self) -> str:
        return f"{self.organisation_id}:{self.year}"


class ManagementPlanLine(models.Model):
    """The quantity of one waste code the plan expects to generate in its year."""

    plan = models.ForeignKey(ManagementPlan, on_delete=models.CASCADE, related_name="lines")
    waste_code = models.ForeignKey("catalog.HazardousCode", on_delete=models.PROTECT)
    planned_g = models.BigIntegerField(_("planned quantity (g)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "waste_code"], name="one_plan_line_per_code"),
            models.CheckConstraint(condition=models.Q(planned_g__gt=0), name="plan_line_positive"),
        ]
        verbose_name = _("management plan line")
        verbose_name_plural = _("management plan lines")

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.waste_code_id}"


class FilingSubmission(models.Model):
    """One filing of the calendar (a declaration, or the plan's 备案) as submitted."""

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="filings"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=FILING_KIND_CHOICES)
    period = models.CharField(_("period"), max_length=7)  # "2024-03", "2024-Q1", "2024"
    due_on = models.DateField(_("due"))
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(  # None: imported or seeded, not filed by a person here
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    content = models.JSONField(_("content"), default=dict)

    class Meta:
        ordering = ["-due_on", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "period"], name="one_filing_per_period"
            )
        ]
        verbose_name = _("filing")
        verbose_name_plural = _("filings")

    def __str__(self) -> str:
        return f"{self.kind} {self.period}"
