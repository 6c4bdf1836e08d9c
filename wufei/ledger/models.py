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
