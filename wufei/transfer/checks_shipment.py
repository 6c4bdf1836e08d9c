"""Rules about the shipment: the carriers and their licences and vehicles, the labelled
containers, and the shipper's ledger holding what is declared."""

from __future__ import annotations

from django.utils.translation import gettext as _

from wufei.core.errors import ValidationFailed
from wufei.registry.models import PermitKind
from wufei.transfer.articles import article
from wufei.transfer.content import carriers_of, lines_of
from wufei.transfer.ledger_link import line_takes
from wufei.transfer.models import Manifest, ManifestLine
from wufei.transfer.rule_failures import COUNTING_STATUSES, RuleFailure, failure
from wufei.transfer.rules import DocumentRules


def check_carriers_qualified(manifest: Manifest, rules: DocumentRules) -> list[RuleFailure]:
    """Every carrier is a carrier, with its own valid licence and vehicle (第十三条, 第十条)."""
    failures = []
    day = manifest.planned_on
    for mc in carriers_of(manifest):
        field = f"carriers.{mc.position}"
        values = {"position": mc.position, "name": mc.carrier.name}
        licence, vehicle = mc.licence, mc.vehicle
        if not mc.carrier.is_carrier:
            failures.append(
                failure(
                    "carrier_not_carrier",
                    "art13",
                    _("Carrier %(position)s, %(name)s, is not registered as a carrier.") % values,
                    field,
                )
            )
        if licence.organisation_id != mc.carrier_id:
            failures.append(
                failure(
                    "carrier_licence_owner",
                    "art13",
                    _("Carrier %(position)s: licence %(licence)s is not the carrier's own.")
                    % {**values, "licence": licence},
                    f"{field}.licence",
                )
            )
        if rules.carrier_licence_kind and licence.kind != rules.carrier_licence_kind:
            failures.append(
                failure(
                    "carrier_licence_kind",
                    "art13",
                    _("Carrier %(position)s: licence %(licence)s is not a %(kind)s.")
                    % {
                        **values,
                        "licence": licence,
                        "kind": PermitKind(rules.carrier_licence_kind).label,
                    },
                    f"{field}.licence",
                )
            )
        if not licence.valid_from <= day <= licence.valid_until:
            failures.append(
                failure(
                    "carrier_licence_expired",
                    "art13",
                    _("Carrier %(position)s: licence %(licence)s is not valid on %(day)s.")
                    % {**values, "licence": licence, "day": day},
                    f"{field}.licence",
                )
            )
        if vehicle.organisation_id != mc.carrier_id:
            failures.append(
                failure(
                    "vehicle_owner",
                    "art13",
                    _("Carrier %(position)s: vehicle %(plate)s is not the carrier's own.")
                    % {**values, "plate": vehicle.plate_number},
                    f"{field}.vehicle",
                )
            )
        if vehicle.valid_until < day:
            failures.append(
                failure(
                    "vehicle_certificate_expired",
                    "art13",
                    _(
                        "Carrier %(position)s: the transport certificate of vehicle %(plate)s "
                        "is not valid on %(day)s."
                    )
                    % {**values, "plate": vehicle.plate_number, "day": day},
                    f"{field}.vehicle",
                )
            )
    return failures


def _busy_containers(manifest: Manifest) -> dict[int, str]:
    """Containers of this manifest already on another signed manifest that is not cancelled or
    refused (a draft reserves nothing): container id → number."""
    ids = [c.pk for line in lines_of(manifest) for c in line.containers.all()]
    rows = (
        ManifestLine.containers.through.objects.filter(container_id__in=ids)
        .exclude(manifestline__manifest=manifest)
        .filter(manifestline__manifest__status__in=COUNTING_STATUSES)
        .values_list("container_id", "manifestline__manifest__number")
    )
    return dict(rows)


def check_containers_labelled(manifest: Manifest, rules: DocumentRules) -> list[RuleFailure]:
    """Each line lists the shipper's labelled containers of its code, as many as it declares
    (第十三条 identification marks, HJ 1276-2022), none already on another manifest (第十六条)."""
    if not rules.labels_required:
        return []
    failures = []
    busy = _busy_containers(manifest)
    for line in lines_of(manifest):
        field = f"lines.{line.position}.containers"
        containers = list(line.containers.all())
        if len(containers) != line.container_count:
            failures.append(
                failure(
                    "container_count",
                    "hj1276",
                    _(
                        "Line %(position)s lists %(listed)d labelled containers but declares "
                        "%(count)d."
                    )
                    % {
                        "position": line.position,
                        "listed": len(containers),
                        "count": line.container_count,
                    },
                    field,
                )
            )
        for container in containers:
            values = {"position": line.position, "container": container.code}
            if container.organisation_id != manifest.shipper_id:
                failures.append(
                    failure(
                        "container_owner",
                        "hj1276",
                        _("Line %(position)s: container %(container)s is not the shipper's.")
                        % values,
                        field,
                    )
                )
            elif container.waste_code.code != line.waste_code.code:
                failures.append(
                    failure(
                        "container_code",
                        "hj1276",
                        _(
                            "Line %(position)s: container %(container)s holds %(held)s, "
                            "not %(code)s."
                        )
                        % {
                            **values,
                            "held": container.waste_code.code,
                            "code": line.waste_code.code,
                        },
                        field,
                    )
                )
            if container.pk in busy:
                failures.append(
                    failure(
                        "container_on_other_manifest",
                        "art13",
                        _(
                            "Line %(position)s: container %(container)s is already on manifest "
                            "%(number)s."
                        )
                        % {**values, "number": busy[container.pk]},
                        field,
                    )
                )
    return failures


def check_ledger_holds_waste(manifest: Manifest, rules: DocumentRules) -> list[RuleFailure]:
    """The shipper's ledger holds each line's weight in its containers (第十条(三): the shipper
    keeps a ledger and weighs what it transfers; HJ 1259-2022 6.3.5)."""
    if not rules.writes_ledger:
        return []
    failures = []
    for line in lines_of(manifest):
        try:
            line_takes(manifest, line)
        except ValidationFailed as exc:
            failures.append(
                RuleFailure(
                    rule=exc.code, article=article("art10_3"), message=exc.message, field=exc.field
                )
            )
    return failures
