"""Versioned code lists.

Every hazardous code belongs to one edition of the 国家危险废物名录 (2021, later 2025…), so a
record made under one edition keeps meaning what it meant when the list changes. The classes of
the non-hazardous streams and the treatment-method codes are flat lists with their sources.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

HAZARD_CHARACTERISTICS = {
    "T": _("Toxicity"),
    "C": _("Corrosivity"),
    "I": _("Ignitability"),
    "R": _("Reactivity"),
    "In": _("Infectivity"),
}


class CatalogEdition(models.Model):
    """One edition of the national hazardous waste list."""

    year = models.PositiveSmallIntegerField(_("edition year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    instrument = models.CharField(_("instrument"), max_length=200, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    source = models.TextField(_("source and provenance"), blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("catalog edition")
        verbose_name_plural = _("catalog editions")

    def __str__(self) -> str:
        return self.title


class HazardousCategory(models.Model):
    edition = models.ForeignKey(CatalogEdition, on_delete=models.CASCADE, related_name="categories")
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

    edition = models.ForeignKey(CatalogEdition, on_delete=models.CASCADE, related_name="codes")
    category = models.ForeignKey(HazardousCategory, on_delete=models.CASCADE, related_name="codes")
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
        return [c for c in self.hazard_characteristics.split("/") if c]


class Exemption(models.Model):
    """One condition of the 危险废物豁免管理清单 (an item may have several stages)."""

    edition = models.ForeignKey(CatalogEdition, on_delete=models.CASCADE, related_name="exemptions")
    item_no = models.PositiveSmallIntegerField(_("item"))
    subject = models.CharField(_("category or code"), max_length=100)
    waste = models.TextField(_("hazardous waste"))
    stage = models.CharField(_("exempt stage"), max_length=50)
    condition = models.TextField(_("exemption condition"))
    content = models.TextField(_("exemption content"))
    source_page = models.PositiveSmallIntegerField(null=True)
    codes = models.ManyToManyField(HazardousCode, related_name="exemptions", blank=True)
    categories = models.ManyToManyField(HazardousCategory, related_name="exemptions", blank=True)

    class Meta:
        ordering = ["edition", "item_no", "id"]
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
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE)
    source = models.CharField(_("source"), max_length=300)
    verified = models.BooleanField(
        _("verified against the official text"),
        default=True,
        help_text=_("False where the list could not be confirmed against the official text."),
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

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

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=TreatmentKind.choices)
    source = models.CharField(_("source"), max_length=300)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("treatment method")
        verbose_name_plural = _("treatment methods")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
