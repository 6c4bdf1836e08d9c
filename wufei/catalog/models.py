"""Versioned code lists.

Every hazardous code belongs to one edition of the 国家危险废物名录 (2021, later 2025…), so a
record made under one edition keeps meaning what it meant when the list changes. The classes of
the non-hazardous streams and the treatment-method codes are flat lists with their sources.
"""

from __future__ import annotations

import re
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

HAZARD_CHARACTERISTICS = {
    "T": _("Toxicity"),
    "C": _("Corrosivity"),
    "I": _("Ignitability"),
    "R": _("Reactivity"),
    "In": _("Infectivity"),
}

# The official 2021 text writes several characteristics as "T，I" (and in a few rows "T/C/I/R");
# the notation is kept as published and split on either separator.
CHARACTERISTIC_SEPARATORS = re.compile(r"[/,，、]")


class CatalogEdition(models.Model):
    """One edition of the national hazardous waste list."""

    year = models.PositiveSmallIntegerField(_("edition year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    instrument = models.CharField(_("instrument"), max_length=200, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    source = models.TextField(_("source and provenance"), blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("catalog edition")
        verbose_name_plural = _("catalog editions")

    def __str__(self) -> str:
        return self.title

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until
        )


class HazardousCategory(models.Model):
    edition = models.ForeignKey(
        CatalogEdition,
        on_delete=models.CASCADE,
        related_name="categories",
        verbose_name=_("edition"),
    )
    code = models.CharField(_("category"), max_length=4)  # HW01 … HW50
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["edition", "code"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="category_unique_in_edition")
        ]
        verbose_name = _("hazardous waste category")
        verbose_name_plural = _("hazardous waste categories")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class HazardousCode(models.Model):
    """One row of the list: an eight-digit code (industry-sequence-category)."""

    edition = models.ForeignKey(
        CatalogEdition, on_delete=models.CASCADE, related_name="codes", verbose_name=_("edition")
    )
    category = models.ForeignKey(
        HazardousCategory,
        on_delete=models.CASCADE,
        related_name="codes",
        verbose_name=_("category"),
    )
    code = models.CharField(_("waste code"), max_length=10, db_index=True)  # 900-249-08
    industry_source = models.CharField(_("industry source"), max_length=100)
    description = models.TextField(_("description"))
    hazard_characteristics = models.CharField(_("hazard characteristics"), max_length=20)
    source_page = models.PositiveSmallIntegerField(_("page in the official text"), null=True)

    class Meta:
        ordering = ["edition", "code"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="code_unique_in_edition")
        ]
        verbose_name = _("hazardous waste code")
        verbose_name_plural = _("hazardous waste codes")

    def __str__(self) -> str:
        return self.code

    @property
    def characteristics(self) -> list[str]:
        parts = CHARACTERISTIC_SEPARATORS.split(self.hazard_characteristics)
        return [c.strip() for c in parts if c.strip()]

    def applicable_exemptions(self) -> list[Exemption]:
        """Exemptions naming this code or its whole category (uses prefetched rows if any)."""
        found = {e.pk: e for e in self.exemptions.all()}
        found.update((e.pk, e) for e in self.category.exemptions.all())
        return sorted(found.values(), key=lambda e: (e.item_no, e.position))


class Exemption(models.Model):
    """One condition of the 危险废物豁免管理清单 (an item may have several stages)."""

    edition = models.ForeignKey(
        CatalogEdition,
        on_delete=models.CASCADE,
        related_name="exemptions",
        verbose_name=_("edition"),
    )
    item_no = models.PositiveSmallIntegerField(_("item"))
    # The list repeats an item number once per exempt stage, so rows are keyed by their position.
    position = models.PositiveSmallIntegerField(_("position in the list"))
    subject = models.CharField(_("category or code"), max_length=100)
    waste = models.TextField(_("hazardous waste"))
    stage = models.CharField(_("exempt stage"), max_length=50)
    condition = models.TextField(_("exemption condition"))
    content = models.TextField(_("exemption content"))
    source_page = models.PositiveSmallIntegerField(_("page in the official text"), null=True)
    codes = models.ManyToManyField(
        HazardousCode, related_name="exemptions", blank=True, verbose_name=_("waste codes")
    )
    categories = models.ManyToManyField(
        HazardousCategory,
        related_name="exemptions",
        blank=True,
        verbose_name=_("waste categories"),
    )

    class Meta:
        ordering = ["edition", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "position"], name="exemption_position_unique_in_edition"
            )
        ]
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")

    def __str__(self) -> str:
        return f"{self.item_no}. {self.subject} ({self.stage})"


class Stream(models.TextChoices):
    HAZARDOUS = "hazardous", _("Hazardous waste")
    GENERAL_INDUSTRIAL = "general_industrial", _("General industrial solid waste")
    HOUSEHOLD = "household", _("Household waste")
    CONSTRUCTION = "construction", _("Construction waste")
    MEDICAL = "medical", _("Medical waste")
    AGRICULTURAL = "agricultural", _("Agricultural waste")
    SLUDGE = "sludge", _("Municipal sludge")
    BATTERY = "battery", _("Retired traction batteries")


class WasteClass(models.Model):
    """A class in a non-hazardous stream's classification (or the medical waste catalogue)."""

    stream = models.CharField(_("stream"), max_length=24, choices=Stream.choices)
    code = models.CharField(_("class code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("parent class")
    )
    hazardous_code = models.CharField(
        _("corresponding hazardous waste code"),
        max_length=10,
        blank=True,
        help_text=_("The code of the national list this class is managed under, if any."),
    )
    source = models.CharField(_("source"), max_length=300)
    verified = models.BooleanField(
        _("verified against the official text"),
        default=True,
        help_text=_("False where the list could not be confirmed against the official text."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["stream", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["stream", "code"], name="class_unique_in_stream")
        ]
        verbose_name = _("waste class")
        verbose_name_plural = _("waste classes")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TreatmentKind(models.TextChoices):
    UTILISATION = "utilisation", _("Utilisation")
    DISPOSAL = "disposal", _("Disposal")
    OTHER = "other", _("Other")


class TreatmentMethod(models.Model):
    """A 利用/处置方式 code (R…, D…, C…) with its source."""

    code = models.CharField(_("method code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=TreatmentKind.choices)
    source = models.CharField(_("source"), max_length=300)
    verified = models.BooleanField(
        _("verified against the official text"),
        default=True,
        help_text=_("False where the list could not be confirmed against the official text."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("treatment method")
        verbose_name_plural = _("treatment methods")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
