"""Transfer documents: the electronic manifest (电子转移联单) and its kin.

One document engine carries every stream; `doc_type` selects the rule set
(`wufei.transfer.rules`): the hazardous-waste manifest under 部令第23号 is one configuration,
and general industrial waste, sludge, medical waste and construction waste (一车一单) are
others. The status follows `wufei.domain.manifest_flow`. A signed document is never edited:
corrections are `Revision`s approved by every signed party, and both versions stay.
Weights are integer grams.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wufei.domain.manifest_flow import ReturnStatus, Status


class DocType(models.TextChoices):
    HAZARDOUS = "hazardous", _("Hazardous waste transfer manifest")
    GENERAL_INDUSTRIAL = "general_industrial", _("General industrial solid waste manifest")
    SLUDGE = "sludge", _("Municipal sludge transfer manifest")
    MEDICAL = "medical", _("Medical waste transfer manifest")
    CONSTRUCTION = "construction", _("Construction waste waybill (一车一单)")


STATUS_CHOICES = [
    (Status.DRAFT.value, _("Draft")),
    (Status.READY.value, _("Signed by shipper")),
    (Status.IN_TRANSIT.value, _("In transit")),
    (Status.ARRIVED.value, _("Arrived")),
    (Status.ACCEPTED.value, _("Accepted")),
    (Status.PARTIALLY_ACCEPTED.value, _("Partially accepted")),
    (Status.REFUSED.value, _("Refused")),
    (Status.TREATED.value, _("Treated")),
    (Status.CANCELLED.value, _("Cancelled")),
]
RETURN_CHOICES = [
    (ReturnStatus.NONE.value, _("No return")),
    (ReturnStatus.PENDING.value, _("Return pending")),
    (ReturnStatus.IN_TRANSIT.value, _("Returning")),
    (ReturnStatus.RETURNED.value, _("Returned")),
]


class ManifestCounter(models.Model):
    """Running numbers per city and year (第十五条); the row is locked while allocating."""

    province = models.CharField(max_length=2)
    city = models.CharField(max_length=2)
    year = models.PositiveSmallIntegerField()
    last_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["province", "city", "year"], name="one_counter_per_city"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}{self.province}{self.city}: {self.last_sequence}"


class CrossProvinceApproval(models.Model):
    """跨省转移审批 (第二十一条–第二十八条): valid 12 months at most, per code and quantity."""

    number = models.CharField(_("approval number"), max_length=50, unique=True)
    shipper = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="+")
    receiver = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.CharField(_("issued by"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cross-province transfer approval")
        verbose_name_plural = _("cross-province transfer approvals")

    def __str__(self) -> str:
        return self.number


class ApprovalItem(models.Model):
    approval = models.ForeignKey(
        CrossProvinceApproval, on_delete=models.CASCADE, related_name="items"
    )
    waste_code = models.ForeignKey("catalog.HazardousCode", on_delete=models.PROTECT)
    approved_g = models.BigIntegerField(_("approved quantity (g)"))
    treatment_method = models.ForeignKey(
        "catalog.TreatmentMethod", null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["approval", "waste_code"], name="one_item_per_code")
        ]

    def __str__(self) -> str:
        return f"{self.approval} {self.waste_code}"


class Manifest(models.Model):
    number = models.CharField(_("manifest number"), max_length=20, unique=True)
    doc_type = models.CharField(_("document type"), max_length=20, choices=DocType.choices)
    status = models.CharField(_("status"), max_length=20, choices=STATUS_CHOICES, default="draft")
    return_status = models.CharField(
        _("return"), max_length=12, choices=RETURN_CHOICES, default="none"
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    shipper = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="manifests_shipped"
    )
    shipper_facility = models.ForeignKey(
        "registry.Facility", on_delete=models.PROTECT, related_name="+"
    )
    receiver = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="manifests_received"
    )
    receiver_facility = models.ForeignKey(
        "registry.Facility", on_delete=models.PROTECT, related_name="+"
    )
    receiver_permit = models.ForeignKey(
        "registry.Permit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approval = models.ForeignKey(
        CrossProvinceApproval,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="manifests",
    )
    planned_on = models.DateField(_("planned transfer date"))
    emergency_measures = models.TextField(_("emergency measures"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    shipper_signed_at = models.DateTimeField(null=True, blank=True)
    picked_up_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    receipt_due_on = models.DateField(_("receipt due"), null=True, blank=True)
    treated_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    has_discrepancy = models.BooleanField(_("discrepancy"), default=False)
    # Received after receipt_due_on (第十八条): allowed, but flagged for the regulator.
    received_late = models.BooleanField(_("received late"), default=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["shipper", "status"]),
            models.Index(fields=["receiver", "status"]),
            models.Index(fields=["status", "receipt_due_on"]),
        ]
        verbose_name = _("transfer manifest")
        verbose_name_plural = _("transfer manifests")

    def __str__(self) -> str:
        return self.number


class ManifestLine(models.Model):
    manifest = models.ForeignKey(Manifest, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    waste_code = models.ForeignKey("catalog.HazardousCode", on_delete=models.PROTECT)
    waste_name = models.CharField(_("waste name"), max_length=100)
    hazard_characteristics = models.CharField(_("hazard characteristics"), max_length=20)
    physical_form = models.CharField(_("physical form"), max_length=10)
    packaging = models.CharField(_("packaging"), max_length=20)
    container_count = models.PositiveIntegerField(_("containers"))
    weight_g = models.BigIntegerField(_("weight (g)"))
    containers = models.ManyToManyField(
        "ledger.Container", blank=True, related_name="manifest_lines"
    )
    received_weight_g = models.BigIntegerField(_("received weight (g)"), null=True, blank=True)
    accepted_weight_g = models.BigIntegerField(_("accepted weight (g)"), null=True, blank=True)
    treatment_method = models.ForeignKey(
        "catalog.TreatmentMethod", null=True, blank=True, on_delete=models.PROTECT
    )
    treated_weight_g = models.BigIntegerField(_("treated weight (g)"), null=True, blank=True)

    class Meta:
        ordering = ["manifest", "position"]
        constraints = [
            models.UniqueConstraint(fields=["manifest", "position"], name="line_position_unique"),
            models.CheckConstraint(condition=models.Q(weight_g__gt=0), name="line_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.manifest} #{self.position}"


class ManifestCarrier(models.Model):
    manifest = models.ForeignKey(Manifest, on_delete=models.CASCADE, related_name="carriers")
    position = models.PositiveSmallIntegerField()
    carrier = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="+")
    vehicle = models.ForeignKey("registry.Vehicle", on_delete=models.PROTECT, related_name="+")
    licence = models.ForeignKey("registry.Permit", on_delete=models.PROTECT, related_name="+")
    origin = models.CharField(_("from"), max_length=200, blank=True)
    destination = models.CharField(_("to"), max_length=200, blank=True)
    picked_up_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["manifest", "position"]
        constraints = [
            models.UniqueConstraint(fields=["manifest", "position"], name="carrier_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.manifest} carrier {self.position}"


class Signature(models.Model):
    """One signed step: who, for which party, when, and the hash of exactly what was signed."""

    manifest = models.ForeignKey(Manifest, on_delete=models.PROTECT, related_name="signatures")
    action = models.CharField(_("step"), max_length=24)
    party = models.CharField(_("party"), max_length=10)
    carrier_position = models.PositiveSmallIntegerField(null=True, blank=True)
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    signed_at = models.DateTimeField()
    manifest_version = models.PositiveIntegerField()
    content = models.JSONField(_("content signed"))
    content_hash = models.CharField(max_length=64)
    copy_of_record = models.BinaryField(_("copy of record (PDF)"))
    copy_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["manifest", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["manifest", "action", "carrier_position", "manifest_version"],
                name="one_signature_per_step",
            )
        ]

    def __str__(self) -> str:
        return f"{self.manifest} {self.action} by {self.signer}"


class Discrepancy(models.Model):
    """名称、数量、特性、形态、包装方式与联单不符 (第十八条): recorded and flagged."""

    FIELDS = ("name", "quantity", "characteristics", "form", "packaging")
    manifest = models.ForeignKey(Manifest, on_delete=models.PROTECT, related_name="discrepancies")
    line = models.ForeignKey(ManifestLine, on_delete=models.PROTECT, related_name="discrepancies")
    field = models.CharField(max_length=16)
    declared = models.CharField(max_length=100)
    observed = models.CharField(max_length=100)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.manifest} {self.field}"


class Revision(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Awaiting approval")
        APPLIED = "applied", _("Applied")
        REJECTED = "rejected", _("Rejected")

    manifest = models.ForeignKey(Manifest, on_delete=models.PROTECT, related_name="revisions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    requesting_party = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT)
    reason = models.TextField(_("reason"))
    changes = models.JSONField(_("proposed changes"))
    before = models.JSONField(_("content before"))
    after = models.JSONField(_("content after"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    from_version = models.PositiveIntegerField()
    # The organisations that had signed when the revision was requested: each must approve.
    approvers = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.manifest} revision from v{self.from_version}"


class RevisionApproval(models.Model):
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="approvals")
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    approved = models.BooleanField()
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "organisation"], name="one_decision_per_party"
            )
        ]

    def __str__(self) -> str:
        return f"{self.revision} {self.organisation}"
