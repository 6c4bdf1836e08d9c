"""The parties and places of the waste network.

Organisations are identified by their 统一社会信用代码 (GB 32100). What an organisation may do in
the network (produce, carry, collect, treat) is a set of flags on it; what it is *licensed* to
do is in its permits. Regions follow GB/T 2260 codes; `prefix` is the significant part of the
code (33, 3301, 330108, 330108001), so "everything under a region" is a prefix match.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wufei.core.models import TimeStampedModel
from wufei.core.quantities import TonnesField


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    PREFECTURE = 2, _("Prefecture")
    COUNTY = 3, _("County")
    TOWNSHIP = 4, _("Township / street")


class Region(models.Model):
    code = models.CharField(_("division code"), max_length=12, primary_key=True)
    prefix = models.CharField(max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("type"), max_length=20)  # 省 / 地级市 / 市辖区 / 街道 …
    level = models.PositiveSmallIntegerField(_("level"), choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("administrative region")
        verbose_name_plural = _("administrative regions")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class ParkKind(models.TextChoices):
    NATIONAL_HIGH_TECH = "national_high_tech", _("National high-tech zone")
    NATIONAL_ECONOMIC = "national_economic", _("National economic development zone")
    PROVINCIAL = "provincial", _("Provincial park")
    INDUSTRIAL = "industrial", _("Industrial park")
    INDUSTRIAL_COMMUNITY = "industrial_community", _("Industrial community")


class Park(TimeStampedModel):
    """An industrial park (园区)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=ParkKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="parks")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    area_km2 = models.DecimalField(
        _("area (km²)"), max_digits=8, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("park")
        verbose_name_plural = _("parks")

    def __str__(self) -> str:
        return self.name


class Organisation(TimeStampedModel):
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organisations")
    park = models.ForeignKey(
        Park, null=True, blank=True, on_delete=models.SET_NULL, related_name="organisations"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    industry_code = models.CharField(
        _("industry code (GB/T 4754)"), max_length=5, blank=True, db_index=True
    )
    industry_name = models.CharField(_("industry"), max_length=100, blank=True)
    is_producer = models.BooleanField(_("waste producer"), default=False)
    is_carrier = models.BooleanField(_("carrier"), default=False)
    is_collector = models.BooleanField(_("collector"), default=False)
    is_treatment = models.BooleanField(_("utilisation/disposal facility"), default=False)
    is_small_producer = models.BooleanField(_("small or micro producer"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class FacilityKind(models.TextChoices):
    GENERATION = "generation", _("Generation site")
    STORAGE = "storage", _("Storage")
    IN_HOUSE_TREATMENT = "in_house_treatment", _("In-house utilisation/disposal")
    COLLECTION_POINT = "collection_point", _("Collection point")
    TRANSFER_STATION = "transfer_station", _("Transfer station")
    TREATMENT = "treatment", _("Utilisation/disposal plant")
    INCINERATION = "incineration", _("Incineration plant")
    LANDFILL = "landfill", _("Landfill")
    RECYCLING = "recycling", _("Recycling/sorting centre")


class Facility(TimeStampedModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="facilities"
    )
    code = models.CharField(_("facility code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=FacilityKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="facilities")
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    storage_capacity_t = TonnesField(_("storage capacity (t)"), null=True, blank=True)

    class Meta:
        ordering = ["organisation", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="facility_code_unique_in_org"
            )
        ]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class PermitKind(models.TextChoices):
    HW_COMPREHENSIVE = "hw_comprehensive", _("Hazardous waste comprehensive operating licence")
    HW_COLLECTION = "hw_collection", _("Hazardous waste collection operating licence")
    HW_SMALL_COLLECTION = "hw_small_collection", _("Small-producer collection pilot")
    ROAD_HAZMAT = "road_hazmat", _("Road dangerous goods transport licence")
    MEDICAL_WASTE = "medical_waste", _("Medical waste disposal licence")


class Permit(TimeStampedModel):
    """A licence (经营许可证 or transport licence): what it covers, how much, until when."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="permits")
    facility = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.SET_NULL, related_name="permits"
    )
    number = models.CharField(_("permit number"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=PermitKind.choices)
    issued_by = models.CharField(_("issued by"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    annual_capacity_t = TonnesField(_("annual capacity (t)"), null=True, blank=True)
    categories = models.ManyToManyField(
        "catalog.HazardousCategory",
        blank=True,
        related_name="permits",
        verbose_name=_("licensed categories"),
    )
    codes = models.ManyToManyField(
        "catalog.HazardousCode",
        blank=True,
        related_name="permits",
        verbose_name=_("licensed codes"),
    )
    treatment_methods = models.ManyToManyField(
        "catalog.TreatmentMethod",
        blank=True,
        related_name="permits",
        verbose_name=_("treatment methods"),
    )

    class Meta:
        ordering = ["organisation", "number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="permit_validity_ordered",
            )
        ]
        verbose_name = _("permit")
        verbose_name_plural = _("permits")

    def __str__(self) -> str:
        return self.number


class Vehicle(TimeStampedModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="vehicles"
    )
    plate_number = models.CharField(_("plate number"), max_length=12, unique=True)
    kind = models.CharField(_("vehicle type"), max_length=50)
    transport_certificate = models.CharField(_("road transport certificate"), max_length=30)
    payload_t = TonnesField(_("payload (t)"))
    valid_until = models.DateField(_("certificate valid until"))

    class Meta:
        ordering = ["plate_number"]
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")

    def __str__(self) -> str:
        return self.plate_number
