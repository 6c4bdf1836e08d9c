"""The management ledger (管理台账, HJ 1259-2022 appendix B) and containers (HJ 1276-2022).

One table holds the five kinds of event of appendix B — generation (B.1), store-in (B.2),
store-out (B.3), in-house utilisation/disposal (B.4) and hand-over to an outside facility (B.5) —
plus receipt at a receiving facility. Each event that moves waste names the event it takes the
waste from (`source`), so every gram can be followed and stock is derived, never typed:
the stock held by an event is its quantity minus what later events took from it.

Quantities are integer grams (exact sums in SQL on every database, ADR 0003).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    GENERATE = "generate", _("Generation (B.1)")
    STORE_IN = "store_in", _("Store-in (B.2)")
    STORE_OUT = "store_out", _("Store-out (B.3)")
    TREAT_IN_HOUSE = "treat_in_house", _("In-house utilisation/disposal (B.4)")
    HAND_OVER = "hand_over", _("Hand-over to an outside facility (B.5)")
    RECEIVE = "receive", _("Receipt from a transfer")


# The kinds an event may take its waste from (HJ 1259 appendix B link columns):
# B.2 names its 产生批次编码, B.3 its 入库批次编码, B.4 and B.5 产生批次编码/出库批次编码.
SOURCE_KINDS: dict[str, tuple[str, ...]] = {
    EventKind.GENERATE: (),
    EventKind.RECEIVE: (),
    EventKind.STORE_IN: (EventKind.GENERATE, EventKind.RECEIVE),
    EventKind.STORE_OUT: (EventKind.STORE_IN,),
    EventKind.TREAT_IN_HOUSE: (EventKind.GENERATE, EventKind.STORE_OUT, EventKind.RECEIVE),
    EventKind.HAND_OVER: (EventKind.GENERATE, EventKind.STORE_OUT),
}


class ImportBatch(models.Model):
    """One uploaded ledger file: what it was, who sent it, how it ended."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        REJECTED = "rejected", _("Rejected")

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="ledger_imports"
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    filename = models.CharField(max_length=255)
    table = models.CharField(max_length=16)  # B.1 … B.5
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # What the import is doing now (reading → checking → writing → done), for the progress page.
    phase = models.CharField(max_length=12, default="reading")
    error_count = models.PositiveIntegerField(default=0)  # all errors; `errors` keeps the first
    sha256 = models.CharField(max_length=64, blank=True)
    totals = models.JSONField(default=dict, blank=True)  # grams per kind, when succeeded

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")

    def __str__(self) -> str:
        return self.filename


class LedgerEvent(models.Model):
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="ledger_events"
    )
    facility = models.ForeignKey(
        "registry.Facility", on_delete=models.PROTECT, related_name="ledger_events"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    batch_code = models.CharField(_("batch code"), max_length=40)
    occurred_at = models.DateTimeField(_("time"))
    waste_code = models.ForeignKey(
        "catalog.HazardousCode", on_delete=models.PROTECT, related_name="ledger_events"
    )
    internal_name = models.CharField(_("internal name"), max_length=100, blank=True)
    container = models.ForeignKey(
        "ledger.Container", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    container_code = models.CharField(_("container code"), max_length=64, blank=True)
    container_type = models.CharField(_("container type"), max_length=20, blank=True)
    container_count = models.PositiveIntegerField(_("containers"), default=0)
    quantity_g = models.BigIntegerField(_("quantity (g)"))
    unit = models.CharField(_("unit as entered"), max_length=4, default="kg")
    source = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="consumers"
    )
    treatment_method = models.ForeignKey(
        "catalog.TreatmentMethod", null=True, blank=True, on_delete=models.PROTECT
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    destination = models.CharField(_("destination"), max_length=100, blank=True)
    receiver = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    receiver_type = models.CharField(_("receiver type"), max_length=30, blank=True)
    receiver_permit_number = models.CharField(_("receiver permit"), max_length=50, blank=True)
    manifest = models.ForeignKey(
        "transfer.Manifest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_events",
    )
    handled_by = models.CharField(_("person responsible"), max_length=50)
    second_handler = models.CharField(_("second person"), max_length=50, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    import_batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "batch_code"], name="batch_code_unique_per_kind"
            ),
            models.CheckConstraint(condition=models.Q(quantity_g__gt=0), name="quantity_positive"),
        ]
        indexes = [
            models.Index(fields=["organisation", "occurred_at"]),
            models.Index(fields=["facility", "waste_code", "kind"]),
        ]
        verbose_name = _("ledger event")
        verbose_name_plural = _("ledger events")

    def __str__(self) -> str:
        return f"{self.kind} {self.batch_code}"


class Container(models.Model):
    """A container or package with its digital identification code (HJ 1276-2022)."""

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="containers"
    )
    code = models.CharField(_("digital identification code"), max_length=64, unique=True)
    waste_code = models.ForeignKey("catalog.HazardousCode", on_delete=models.PROTECT)
    generated_on = models.DateField(_("generation date"))
    sequence = models.PositiveIntegerField(_("sequence"))
    container_type = models.CharField(_("container type"), max_length=20)
    volume_l = models.DecimalField(_("volume (L)"), max_digits=8, decimal_places=1)
    internal_code = models.CharField(_("internal container code"), max_length=64, blank=True)
    label_printed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-generated_on", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "waste_code", "generated_on", "sequence"],
                name="container_sequence_unique",
            )
        ]
        verbose_name = _("container")
        verbose_name_plural = _("containers")

    def __str__(self) -> str:
        return self.code


class ImportRow(models.Model):
    """One parsed row of a running import (the staging table).

    Rows are written here in chunks while the file streams, checked against each other and the
    ledger with SQL, and copied into `LedgerEvent` in one transaction only if nothing is wrong;
    then they are deleted. Foreign keys carry no database constraint: a staged row is checked,
    not trusted.
    """

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="staged_rows")
    row_number = models.PositiveIntegerField()
    sheet = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=16)
    batch_code = models.CharField(max_length=40)
    occurred_at = models.DateTimeField()
    facility = models.ForeignKey(
        "registry.Facility", null=True, on_delete=models.DO_NOTHING, db_constraint=False
    )
    waste_code = models.ForeignKey(
        "catalog.HazardousCode", on_delete=models.DO_NOTHING, db_constraint=False
    )
    internal_name = models.CharField(max_length=100, blank=True)
    container = models.ForeignKey(
        Container, null=True, on_delete=models.DO_NOTHING, db_constraint=False
    )
    container_code = models.CharField(max_length=64, blank=True)
    container_type = models.CharField(max_length=20, blank=True)
    container_count = models.PositiveIntegerField(default=0)
    quantity_g = models.BigIntegerField()
    unit = models.CharField(max_length=4)
    source_code = models.CharField(max_length=40, blank=True)
    source_event = models.ForeignKey(
        LedgerEvent, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    source_row = models.ForeignKey(
        "self", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    treatment_method = models.ForeignKey(
        "catalog.TreatmentMethod", null=True, on_delete=models.DO_NOTHING, db_constraint=False
    )
    finished_at = models.DateTimeField(null=True)
    destination = models.CharField(max_length=100, blank=True)
    receiver = models.ForeignKey(
        "registry.Organisation",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    receiver_type = models.CharField(max_length=30, blank=True)
    receiver_permit_number = models.CharField(max_length=50, blank=True)
    handled_by = models.CharField(max_length=50, blank=True)
    second_handler = models.CharField(max_length=50, blank=True)

    class Meta:
        indexes = [models.Index(fields=["batch", "kind", "batch_code"])]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row_number}"


class BatchCounter(models.Model):
    """The last running number of a batch-code prefix per unit and day; locked to allocate."""

    organisation = models.ForeignKey("registry.Organisation", on_delete=models.CASCADE)
    prefix = models.CharField(max_length=8)
    day = models.DateField()
    last_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "prefix", "day"], name="one_batch_counter_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix}{self.day:%Y%m%d}: {self.last_sequence}"


class SupervisionBasis(models.Model):
    """What the ledger cannot know for HJ 1259 4.2.3: since when the site operates, and the
    quantity documented in its EIA or discharge permit (used in its first year)."""

    organisation = models.OneToOneField(
        "registry.Organisation", on_delete=models.CASCADE, related_name="supervision_basis"
    )
    operating_since = models.DateField(_("in operation since"), null=True, blank=True)
    declared_annual_g = models.BigIntegerField(
        _("documented annual quantity (g)"), null=True, blank=True
    )
    declared_source = models.CharField(_("document"), max_length=200, blank=True)
    intermittent = models.BooleanField(_("intermittent, cycle over 3 years"), default=False)

    class Meta:
        verbose_name = _("supervision basis")
        verbose_name_plural = _("supervision bases")

    def __str__(self) -> str:
        return str(self.organisation)


from wufei.ledger.filing_models import FilingSubmission, ManagementPlan, ManagementPlanLine  # noqa: E402,F401
