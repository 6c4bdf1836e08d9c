"""Maintained aggregates of the spine (ADR 0012).

The spine's raw rows are partitioned by (organisation, year): a ledger event belongs to its
organisation and the year it happened in (local time), a manifest line to its shipper and the
years of its pick-up, receipt and treatment. Each partition has pre-summed cells; a write to
the spine marks its partitions stale in the same transaction (`RollupMark`), and a refresh
rebuilds the marked partitions from the raw rows before anything reads the cells. So a cell is
never read stale.
"""

from __future__ import annotations

from django.db import models


class RollupMark(models.Model):
    """A partition whose cells no longer match the spine. Inserted by the write that changed
    it, in the same transaction; deleted by the refresh that rebuilt it."""

    organisation_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["organisation_id", "year"], name="rollup_mark_part")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year}"


class RollupLock(models.Model):
    """One row that a refresh locks, so that two refreshes never rebuild a partition at once."""

    id = models.PositiveSmallIntegerField(primary_key=True)

    def __str__(self) -> str:
        return "rollup lock"


class FlowCellKind(models.TextChoices):
    GENERATED = "generated"  # B.1 grams
    HANDED_OVER = "handed_over"  # B.5 grams
    IN_HOUSE = "in_house"  # B.4 grams, per method
    SHIPPED = "shipped"  # manifest lines picked up: declared grams and what became of them
    TREATED_MONTH = "treated_month"  # treated grams (shipped and in-house) per month
    STOCK = "stock"  # the year's signed change of the enterprise's store of the code
    CODE_GAP = "code_gap"  # the year's signed gap of the enterprise's code: handed − shipped


class FlowCell(models.Model):
    """Grams of one partition for the material-flow records (`wufei.flows.records`).

    Shipped lines are summed per code, first carrier, receiver and treatment method, with the
    grams that appeared on some lines kept apart from those that vanished on others; each
    gap to list is a `GapCell`. The year's stock change and code gap of each enterprise and
    code are cells of their own, because their signs decide where they flow and must not be
    netted across enterprises (so cells answer single years).
    """

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(default=0)  # 1–12 for TREATED_MONTH, else 0
    stream = models.CharField(max_length=20)
    kind = models.CharField(max_length=13, choices=FlowCellKind.choices)
    waste_code = models.CharField(max_length=10, blank=True)
    carrier_id = models.BigIntegerField(null=True)
    receiver_id = models.BigIntegerField(null=True)
    method = models.CharField(max_length=8, blank=True)
    grams = models.BigIntegerField()  # declared grams for a shipped cell
    in_transit_g = models.BigIntegerField(default=0)
    refused_g = models.BigIntegerField(default=0)
    treated_g = models.BigIntegerField(default=0)
    awaiting_g = models.BigIntegerField(default=0)
    appeared_g = models.BigIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["stream", "year", "organisation"], name="flow_cell_read"),
            models.Index(fields=["organisation", "year"], name="flow_cell_part"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year} {self.kind} {self.waste_code}"


class GapCell(models.Model):
    """One gap of the year: an enterprise's code whose ledger and manifests disagree
    (`stage` code), or a manifest line whose parts do not add up to its declared weight
    (`stage` carrier, with the manifest number). The flow page lists the largest
    (`magnitude` = |grams|) and counts them all."""

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    stream = models.CharField(max_length=20)
    stage = models.CharField(max_length=8)
    waste_code = models.CharField(max_length=10)
    ref = models.CharField(max_length=20, blank=True)
    grams = models.BigIntegerField()
    magnitude = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["stream", "year", "-magnitude", "organisation", "waste_code", "ref"],
                name="gap_cell_read",
            ),
            models.Index(fields=["organisation", "year"], name="gap_cell_part"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.waste_code} {self.grams}"


class SpineMeasure(models.TextChoices):
    GENERATED = "generated"  # hazardous (not HW01) B.1 events
    IN_HOUSE = "in_house"  # hazardous B.4 events, per method
    TREATED = "treated"  # hazardous lines with a treated weight, by treatment year and method
    TRANSFERRED = "transferred"  # hazardous lines by pick-up year
    MEDICAL = "medical"  # medical lines with a received weight, by receipt year


class SpineCell(models.Model):
    """Grams and row counts of one partition per facility, for the indicators' spine inputs
    (`wufei.indicators.spine_inputs`): the facility decides the region."""

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    facility = models.ForeignKey(
        "registry.Facility", on_delete=models.CASCADE, null=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    measure = models.CharField(max_length=12, choices=SpineMeasure.choices)
    method = models.CharField(max_length=8, blank=True)
    grams = models.BigIntegerField()
    rows = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["year", "measure"], name="spine_cell_read"),
            models.Index(fields=["organisation", "year"], name="spine_cell_part"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year} {self.measure}"


class LedgerCell(models.Model):
    """Grams and events of one partition per facility and ledger kind, for the regulator's
    map (`wufei.dashboard`): per waste code for the whole year (month 0: the tonnage tiles,
    leading codes, facility sizes, drill-down totals, years on record), and per month without
    the code (months 1–12: the trend). A cell has the event's organisation and facility, so
    the ledger's visibility rule applies to it as is."""

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    facility = models.ForeignKey("registry.Facility", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()  # 0: the year, per code; 1–12 (local time)
    kind = models.CharField(max_length=16)  # the ledger's EventKind
    waste_code = models.CharField(max_length=10, blank=True)  # "" in month cells
    category = models.CharField(max_length=4, blank=True)  # the code's HW category
    grams = models.BigIntegerField()
    events = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["year", "month", "facility"], name="ledger_cell_read"),
            models.Index(fields=["organisation", "year"], name="ledger_cell_part"),
        ]

    def __str__(self) -> str:
        return f"{self.facility_id} {self.year}-{self.month:02d} {self.kind} {self.waste_code}"


# Every kind of cell of a partition: what a rebuild deletes and recomputes.
CELL_MODELS: tuple[type[models.Model], ...] = (FlowCell, GapCell, SpineCell, LedgerCell)
