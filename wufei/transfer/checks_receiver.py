"""Rules about the receiver: its licence covers each code, has capacity left this year, or —
for streams without a licence check — it is at least a utilisation/disposal facility."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from wufei.registry.models import Permit
from wufei.transfer.content import lines_of
from wufei.transfer.models import Manifest, ManifestLine
from wufei.transfer.rule_failures import COUNTING_STATUSES, RuleFailure, failure
from wufei.transfer.rules import DocumentRules
from wufei.transfer.weights import tonnes_display, tonnes_to_grams


def _permit_code_ids(permit: Permit) -> tuple[set[int], set[int]]:
    return (
        set(permit.categories.values_list("pk", flat=True)),
        set(permit.codes.values_list("pk", flat=True)),
    )


def permit_covers(permit: Permit, lines: Iterable[ManifestLine]) -> list[ManifestLine]:
    """The lines whose waste code the permit does not cover (a category covers its codes)."""
    categories, codes = _permit_code_ids(permit)
    return [
        line
        for line in lines
        if line.waste_code_id not in codes and line.waste_code.category_id not in categories
    ]


def check_receiver_permit(manifest: Manifest, rules: DocumentRules) -> list[RuleFailure]:
    """The receiver holds a valid licence covering every waste code (第十条(一); 经营许可证)."""
    if not rules.receiver_permit_kinds:
        return []
    permit = manifest.receiver_permit
    if permit is None:
        return [
            failure(
                "receiver_permit_missing",
                "art10_1",
                _("The manifest names no operating licence of the receiver."),
                "receiver_permit",
            )
        ]
    failures = []
    if permit.organisation_id != manifest.receiver_id:
        failures.append(
            failure(
                "receiver_permit_owner",
                "art10_1",
                _("Licence %(permit)s does not belong to the receiver.") % {"permit": permit},
                "receiver_permit",
            )
        )
    if permit.kind not in rules.receiver_permit_kinds:
        failures.append(
            failure(
                "receiver_permit_kind",
                "licence",
                _("Licence %(permit)s (%(kind)s) does not allow receiving this waste.")
                % {"permit": permit, "kind": permit.get_kind_display()},
                "receiver_permit",
            )
        )
    if not permit.valid_from <= manifest.planned_on <= permit.valid_until:
        failures.append(
            failure(
                "receiver_permit_expired",
                "licence",
                _("The receiver's licence %(permit)s is not valid on %(day)s.")
                % {"permit": permit, "day": manifest.planned_on},
                "receiver_permit",
            )
        )
    for line in permit_covers(permit, lines_of(manifest)):
        failures.append(
            failure(
                "receiver_permit_code",
                "art10_1",
                _("The receiver's licence %(permit)s does not cover waste code %(code)s.")
                % {"permit": permit, "code": line.waste_code.code},
                f"lines.{line.position}.waste_code",
            )
        )
    return failures


def permit_used_g(permit: Permit, *, year: int, excluding: Manifest | None = None) -> int:
    """Grams already committed to a permit in a year: signed transfers not cancelled/refused."""
    qs = ManifestLine.objects.filter(
        manifest__receiver_permit=permit,
        manifest__planned_on__year=year,
        manifest__status__in=COUNTING_STATUSES,
    )
    if excluding is not None:
        qs = qs.exclude(manifest=excluding)
    total = qs.aggregate(total=Sum(Coalesce("accepted_weight_g", "weight_g")))["total"]
    return int(total or 0)


def check_receiver_capacity(manifest: Manifest, rules: DocumentRules) -> list[RuleFailure]:
    """The weight fits the permit's remaining annual capacity (经营许可证 规模; 第十条(一))."""
    permit = manifest.receiver_permit
    if not rules.check_receiver_capacity or permit is None or permit.annual_capacity_t is None:
        return []
    year = manifest.planned_on.year
    left = tonnes_to_grams(permit.annual_capacity_t) - permit_used_g(
        permit, year=year, excluding=manifest
    )
    weight = sum(line.weight_g for line in lines_of(manifest))
    if weight <= left:
        return []
    return [
        failure(
            "receiver_capacity",
            "art10_1",
            _(
                "The receiver's licence %(permit)s has %(left)s t of its annual capacity left "
                "in %(year)s; this manifest carries %(weight)s t."
            )
            % {
                "permit": permit,
                "left": tonnes_display(max(left, 0)),
                "year": year,
                "weight": tonnes_display(weight),
            },
            "receiver_permit",
        )
    ]


def check_receiver_is_treatment(manifest: Manifest, rules: DocumentRules) -> list[RuleFailure]:
    """Without a licence check, the receiver is at least a registered utilisation/disposal
    facility (固废法 第三十七条: hand waste only to a qualified receiver)."""
    if not rules.receiver_must_be_treatment or manifest.receiver.is_treatment:
        return []
    return [
        failure(
            "receiver_not_treatment",
            "art10_1",
            _("%(name)s is not registered as a utilisation/disposal facility.")
            % {"name": manifest.receiver.name},
            "receiver",
        )
    ]
