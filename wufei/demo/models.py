"""What the demo generator wrote, and the district profile later generators build on.

A `DemoDistrict` records the seed, scale and year a district was generated with and owns
everything it created (organisations, parks, townships, logins), so `seed_demo --reset`
removes exactly that and never the catalogs or the GB/T 2260 regions. `DemoWasteProfile` rows
are the expected annual waste — of a producer, or of the district's households and
construction sites — with the planned receiver and treatment method: a year of ledger events
and manifests is generated from them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wufei.catalog.models import Stream
from wufei.core.models import TimeStampedModel
from wufei.core.quantities import TonnesField


class DemoDistrict(TimeStampedModel):
    region = models.ForeignKey(
        "registry.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=50)
    year = models.PositiveSmallIntegerField(_("demo year"))
    seed = models.BigIntegerField(_("seed"))
    scale = models.DecimalField(_("scale"), max_digits=7, decimal_places=3)
    parks = models.ManyToManyField(
        "registry.Park", blank=True, related_name="+", verbose_name=_("parks created")
    )
    townships = models.ManyToManyField(
        "registry.Region", blank=True, related_name="+", verbose_name=_("townships created")
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("demo logins")
    )
    signers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("signing members of the generated year"),
    )
    # The first audit event written after the district: a reset may discard the log from here
    # only if nothing came before (the chain cannot lose a middle part).
    audit_from = models.BigIntegerField(_("audit log starts at"), null=True, blank=True)

    class Meta:
        verbose_name = _("demo district")
        verbose_name_plural = _("demo districts")

    def __str__(self) -> str:
        return f"{self.name} {self.year} (seed {self.seed}, ×{self.scale})"


class DemoOrganisation(models.Model):
    """An organisation the generator created, under its key in the plan (P0001, H0001, S01…)."""

    district = models.ForeignKey(
        DemoDistrict, on_delete=models.CASCADE, related_name="members", verbose_name=_("district")
    )
    organisation = models.OneToOneField(
        "registry.Organisation",
        on_delete=models.CASCADE,
        related_name="demo",
        verbose_name=_("organisation"),
    )
    key = models.CharField(_("key in the plan"), max_length=8)
    archetype = models.CharField(_("archetype"), max_length=30)

    class Meta:
        ordering = ["district", "key"]
        constraints = [
            models.UniqueConstraint(fields=["district", "key"], name="demo_org_key_unique")
        ]
        verbose_name = _("demo organisation")
        verbose_name_plural = _("demo organisations")

    def __str__(self) -> str:
        return f"{self.key} {self.organisation}"


class DemoStreamTotal(models.Model):
    """A stream's annual total in the district (the seed's figure times the scale)."""

    district = models.ForeignKey(
        DemoDistrict, on_delete=models.CASCADE, related_name="totals", verbose_name=_("district")
    )
    stream = models.CharField(_("stream"), max_length=24, choices=Stream.choices)
    annual_t = TonnesField(_("annual quantity (t)"))
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["district", "stream"]
        constraints = [
            models.UniqueConstraint(fields=["district", "stream"], name="demo_total_unique")
        ]
        verbose_name = _("demo stream total")
        verbose_name_plural = _("demo stream totals")

    def __str__(self) -> str:
        return f"{self.get_stream_display()}: {self.annual_t} t"


class DemoWasteProfile(models.Model):
    """A waste expected every year and where it is planned to go.

    `organisation` is the producer; it is empty for the district-level streams (households,
    construction sites). When `receiver` is a collector, `final_receiver` is the plant the
    collector passes the waste on to.
    """

    district = models.ForeignKey(
        DemoDistrict, on_delete=models.CASCADE, related_name="profiles", verbose_name=_("district")
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="demo_waste_profiles",
        verbose_name=_("producer"),
    )
    stream = models.CharField(_("stream"), max_length=24, choices=Stream.choices)
    hazardous_code = models.ForeignKey(
        "catalog.HazardousCode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("hazardous waste code"),
    )
    waste_class = models.ForeignKey(
        "catalog.WasteClass",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("waste class"),
    )
    annual_t = TonnesField(_("annual quantity (t)"))
    receiver = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("receiver"),
    )
    final_receiver = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("final receiver"),
    )
    treatment_method = models.ForeignKey(
        "catalog.TreatmentMethod",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("treatment method"),
    )

    class Meta:
        ordering = ["district", "organisation", "stream", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hazardous_code__isnull=False)
                | models.Q(waste_class__isnull=False),
                name="demo_profile_has_code_or_class",
            ),
            models.CheckConstraint(
                condition=models.Q(annual_t__gt=0), name="demo_profile_quantity_positive"
            ),
        ]
        verbose_name = _("demo waste profile")
        verbose_name_plural = _("demo waste profiles")

    def __str__(self) -> str:
        what = self.hazardous_code or self.waste_class
        return f"{self.organisation or self.district}: {what} {self.annual_t} t"


class DemoFacilityCapacity(models.Model):
    """Design capacity of a plant that no permit describes (household, construction, general
    industrial waste), e.g. the renovation waste recycling site's 7.2 万吨/年."""

    district = models.ForeignKey(
        DemoDistrict,
        on_delete=models.CASCADE,
        related_name="capacities",
        verbose_name=_("district"),
    )
    facility = models.ForeignKey(
        "registry.Facility",
        on_delete=models.CASCADE,
        related_name="demo_capacities",
        verbose_name=_("facility"),
    )
    stream = models.CharField(_("stream"), max_length=24, choices=Stream.choices)
    annual_capacity_t = TonnesField(_("annual capacity (t)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["facility", "stream"], name="demo_capacity_unique")
        ]
        verbose_name = _("demo facility capacity")
        verbose_name_plural = _("demo facility capacities")

    def __str__(self) -> str:
        return f"{self.facility}: {self.annual_capacity_t} t/yr"


class DemoIncident(models.Model):
    """A real-world problem the generated year holds on purpose — a late receipt, a weight
    discrepancy, waste stored for more than a year … — so that tests, and the warnings of later
    issues, know what there is to be found."""

    class Kind(models.TextChoices):
        LATE_RECEIPT = "late_receipt", _("Receipt confirmed late")
        WEIGHT_DISCREPANCY = "weight_discrepancy", _("Weight discrepancy at the receiver")
        OVERDUE_STORAGE = "overdue_storage", _("Stored for more than a year")
        REFUSED_RETURNED = "refused_returned", _("Refused and returned")
        PARTIAL_ACCEPTANCE = "partial_acceptance", _("Partially accepted")
        REVISION = "revision", _("Corrected by a revision")
        CANCELLED = "cancelled", _("Cancelled before pick-up")

    district = models.ForeignKey(
        DemoDistrict, on_delete=models.CASCADE, related_name="incidents", verbose_name=_("district")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    manifest = models.ForeignKey(
        "transfer.Manifest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("transfer manifest"),
    )
    ledger_event = models.ForeignKey(
        "ledger.LedgerEvent",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("ledger event"),
    )
    rule = models.CharField(_("rule"), max_length=100)
    description = models.CharField(_("description"), max_length=300)

    class Meta:
        ordering = ["district", "kind", "id"]
        verbose_name = _("demo incident")
        verbose_name_plural = _("demo incidents")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"
