"""Indicator sets, their indicators, the statistical inputs entered for a region, and the values.

Indicators are data (loaded from `data/` by `wufei load_indicators`); formulas are code in
`wufei.domain.indicator_formulas`, named by `Indicator.formula`. Statistical inputs keep their
history: a correction is a new row, the latest wins and every row stays visible.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorSet(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    source = models.TextField(_("source"))
    verified = models.BooleanField(_("verified"), default=False)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("indicator set")
        verbose_name_plural = _("indicator sets")

    def __str__(self) -> str:
        return self.name


class Direction(models.TextChoices):
    UP = "up", _("Higher is better")
    DOWN = "down", _("Lower is better")
    NONE = "none", _("No direction")


class TargetKind(models.TextChoices):
    AT_LEAST = "at_least", _("At least")
    AT_MOST = "at_most", _("At most")
    REACH = "reach", _("Reach")
    CUMULATIVE = "cumulative", _("Five-year cumulative")
    BELOW_BASELINE = "below_baseline", _("Below the baseline")
    TEXT = "text", _("Described in words")


class Indicator(models.Model):
    set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=20)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    level = models.PositiveSmallIntegerField(_("level"))
    name = models.CharField(_("name"), max_length=200)
    required = models.BooleanField(_("required"), default=False)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    direction = models.CharField(
        _("direction"), max_length=4, choices=Direction.choices, default=Direction.NONE
    )
    formula = models.CharField(_("formula"), max_length=60, blank=True, null=True)
    inputs = models.JSONField(_("inputs"), default=list, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_text = models.CharField(_("baseline as printed"), max_length=60, blank=True)
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    target_text = models.CharField(_("target as printed"), max_length=60, blank=True)
    target_value = models.DecimalField(
        _("target"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    target_kind = models.CharField(
        _("target kind"), max_length=16, choices=TargetKind.choices, blank=True
    )
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    department = models.CharField(_("responsible department"), max_length=200, blank=True)
    verified = models.BooleanField(_("verified"), default=False)
    note = models.TextField(_("note"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["set", "code"], name="indicator_code_unique_in_set"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=3), name="indicator_level_1_to_3"
            ),
        ]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def manual_key(self) -> str:
        """The statistical-input key an indicator without a formula is entered under."""
        return f"{self.set.code}:{self.code}"


def evidence_path(instance: StatInput, filename: str) -> str:
    return f"indicators/evidence/{instance.region_id}/{instance.year}/{filename}"


class StatInput(models.Model):
    """One entered figure; never updated — a correction is a newer row for the same key."""

    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    key = models.CharField(_("statistic"), max_length=80)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6)
    unit = models.CharField(_("unit"), max_length=20)
    source = models.TextField(_("source and evidence"))
    evidence = models.FileField(_("evidence file"), upload_to=evidence_path, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        ordering = ["region", "key", "year", "-entered_at", "-id"]
        indexes = [models.Index(fields=["region", "year", "key"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(value__gte=0), name="stat_input_not_negative")
        ]
        verbose_name = _("statistical input")
        verbose_name_plural = _("statistical inputs")

    def __str__(self) -> str:
        return f"{self.region_id} {self.year} {self.key}={self.value} {self.unit}"


class ValueStatus(models.TextChoices):
    COMPUTED = "computed", _("Computed")
    ENTERED = "entered", _("Entered")
    MISSING = "missing", _("Data missing")


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6, null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ValueStatus.choices)
    computed_at = models.DateTimeField(_("computed at"))
    inputs = models.JSONField(_("inputs used"), default=dict, blank=True)

    class Meta:
        ordering = ["indicator", "region", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region", "year"], name="indicator_value_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(status="missing", value__isnull=True)
                | (~models.Q(status="missing") & models.Q(value__isnull=False)),
                name="indicator_value_missing_is_null",
            ),
        ]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")

    def __str__(self) -> str:
        return f"{self.indicator} {self.region_id} {self.year}"
