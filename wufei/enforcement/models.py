"""Risk and enforcement records: the key-unit list per year, grids and inspections, findings and
their rectification, enforcement cases. Data only; rules live in services and wufei/domain."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class KeyUnitEntry(models.Model):
    """One organisation on the year's 重点监管单位名录 (HJ 1259-2022 4.2.1 a)).

    Removal keeps the row (removed_at, reason), so the list of any past day can be told."""

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="key_unit_entries"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    basis = models.JSONField(_("basis"), default=list)  # reasons, e.g. ["annual_at_least_100t"]
    added_at = models.DateTimeField(_("added"))
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removal_reason = models.CharField(_("reason for removal"), max_length=200, blank=True)

    class Meta:
        ordering = ["year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="key_unit_once_a_year")
        ]
        verbose_name = _("key-unit entry")
        verbose_name_plural = _("key-unit entries")

    def __str__(self) -> str:
        return f"{self.organisation_id}@{self.year}"


class Grid(models.Model):
    """A 网格 of the grid inspection mechanism: a street (optionally one park), its inspectors."""

    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+")
    park = models.ForeignKey(
        "registry.Park", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="grids", verbose_name=_("inspectors")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region", "name"]
        verbose_name = _("grid")
        verbose_name_plural = _("grids")

    def __str__(self) -> str:
        return self.name


class AssignmentStatus(models.TextChoices):
    PLANNED = "planned", _("To visit")
    DONE = "done", _("Done")


class InspectionAssignment(models.Model):
    """A routine visit planned for a month (巡查计划), from the unit's risk grade."""

    grid = models.ForeignKey(Grid, on_delete=models.CASCADE, related_name="assignments")
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="inspection_assignments"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    grade = models.CharField(_("risk grade"), max_length=1)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.PLANNED
    )

    class Meta:
        ordering = ["due_on", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "month"], name="one_assignment_a_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year}-{self.month:02d}"


class InspectionResult(models.TextChoices):
    COMPLIANT = "compliant", _("Compliant")
    FINDINGS = "findings", _("Findings")
    NOT_ACCESSIBLE = "not_accessible", _("Site not accessible")


class Inspection(models.Model):
    assignment = models.OneToOneField(
        InspectionAssignment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspection",
    )
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="inspections"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    visited_at = models.DateTimeField(_("visited at"))
    result = models.CharField(_("result"), max_length=16, choices=InspectionResult.choices)
    checklist = models.JSONField(_("checklist"), default=dict)  # item code -> "ok" | "fail" | "na"
    notes = models.TextField(_("notes"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_at"]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.visited_at:%Y-%m-%d}"


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    MAJOR = "major", _("Major")
    SERIOUS = "serious", _("Serious")


class Finding(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    item = models.CharField(_("checklist item"), max_length=40)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    description = models.TextField(_("description"))
    rectification_due = models.DateField(_("rectify by"))
    rectified_at = models.DateTimeField(_("rectified at"), null=True, blank=True)
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rectification_note = models.TextField(_("rectification"), blank=True)

    class Meta:
        ordering = ["rectification_due", "pk"]

    def __str__(self) -> str:
        return f"{self.item} ({self.severity})"


class PhotoKind(models.TextChoices):
    FINDING = "finding", _("Finding")
    EVIDENCE = "evidence", _("Rectification evidence")


class FindingPhoto(models.Model):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(max_length=10, choices=PhotoKind.choices)
    image = models.FileField(upload_to="enforcement/findings/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.image.name


class CaseSource(models.TextChoices):
    FINDING = "finding", _("Inspection finding")
    WARNING = "warning", _("Warning")
    REPORT = "report", _("Report")


class CaseStatus(models.TextChoices):
    OPENED = "opened", _("Opened")
    INVESTIGATING = "investigating", _("Investigating")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Case closed")


class CaseOutcome(models.TextChoices):
    NONE = "none", _("No penalty")
    WARNING = "warning", _("Formal warning")
    RECTIFICATION = "rectification", _("Order to rectify")
    FINE = "fine", _("Fine imposed")
    SUSPENSION = "suspension", _("Suspension or closure")


class EnforcementCase(models.Model):
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="enforcement_cases"
    )
    opened_on = models.DateField(_("opened on"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(_("source"), max_length=10, choices=CaseSource.choices)
    source_finding = models.ForeignKey(
        Finding, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    source_alert_id = models.PositiveBigIntegerField(_("warning id"), null=True, blank=True)
    source_report = models.TextField(_("report"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=40)  # a key of LEGAL_BASES
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=14, choices=CaseStatus.choices, default=CaseStatus.OPENED
    )
    outcome = models.CharField(_("outcome"), max_length=14, choices=CaseOutcome.choices, blank=True)
    fine_yuan = models.DecimalField(
        _("fine (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.status}"
