"""Each producer's supervision tier (HJ 1259-2022 4.2) and filing calendar (5.2, 7.2), derived
from the ledger, the registry and what the unit declared.

Generated grams per calendar year come from the ledger (B.1 events, summed per year in the
maintained cells); the operating start is the declared one, else the first ledger event; an in-house
utilisation/disposal facility and a current operating licence come from the registry. A site
is an organisation here (4.2.1 counts "同一生产经营场所").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Min, Q, Sum
from django.utils import timezone

from wufei.accounts.viewer import Viewer
from wufei.domain.supervision_tier import (
    Filing,
    Tier,
    TierDecision,
    annual_quantity,
    filings_next_of_each_kind,
    supervision_tier,
)
from wufei.ledger.models import EventKind, LedgerEvent, SupervisionBasis
from wufei.ledger.selectors import ledger_organisation_get, ledger_organisations_visible
from wufei.registry.models import Facility, FacilityKind, Organisation, Permit, PermitKind
from wufei.rollups.models import LedgerCell
from wufei.rollups.selectors import rollups_ensure_fresh

# 4.2.1 a) 3) 持有危险废物经营许可证: comprehensive, collection and medical-waste licences.
# (The small-producer collection pilot is an authorisation, not an operating licence.)
LICENCE_KINDS = (PermitKind.HW_COMPREHENSIVE, PermitKind.HW_COLLECTION, PermitKind.MEDICAL_WASTE)


@dataclass(frozen=True)
class ProducerTier:
    organisation: Organisation
    decision: TierDecision
    yearly_g: dict[int, int]
    operating_since: date | None
    upcoming: list[Filing]

    @property
    def tier(self) -> Tier:
        return self.decision.tier


def generated_per_year(organisation_ids: Iterable[int]) -> dict[int, dict[int, int]]:
    """Grams generated (B.1) per organisation and calendar year (local time), summed from
    the maintained year cells of the map (`wufei.rollups`, refreshed first) rather than from
    every event: the same sums, `wufei.rollups.consistency.map_difference` proves it."""
    rollups_ensure_fresh()
    yearly: dict[int, dict[int, int]] = {}
    for row in (
        LedgerCell.objects.filter(
            organisation_id__in=organisation_ids, kind=EventKind.GENERATE, month=0
        )
        .order_by()
        .values("organisation_id", "year")
        .annotate(grams=Sum("grams"))
    ):
        yearly.setdefault(row["organisation_id"], {})[row["year"]] = int(row["grams"])
    return yearly


def _tiers(
    organisations: list[Organisation], today: date, ids: Iterable[int] | None = None
) -> list[ProducerTier]:
    """`ids`: the organisations as a subquery, when they are many (a list of thousands of
    parameters costs more to send than the queries take)."""
    ids = [o.pk for o in organisations] if ids is None else ids
    yearly = generated_per_year(ids)
    first = dict(
        LedgerEvent.objects.filter(organisation_id__in=ids)
        .order_by()
        .values("organisation_id")
        .annotate(first=Min("occurred_at"))
        .values_list("organisation_id", "first")
    )
    bases = {b.organisation_id: b for b in SupervisionBasis.objects.filter(organisation_id__in=ids)}
    in_house = set(
        Facility.objects.filter(
            organisation_id__in=ids, kind=FacilityKind.IN_HOUSE_TREATMENT
        ).values_list("organisation_id", flat=True)
    )
    licensed = set(
        Permit.objects.filter(
            Q(organisation_id__in=ids),
            kind__in=LICENCE_KINDS,
            valid_from__lte=today,
            valid_until__gte=today,
        ).values_list("organisation_id", flat=True)
    )
    result = []
    for org in organisations:
        basis = bases.get(org.pk)
        since = basis.operating_since if basis and basis.operating_since else None
        if since is None and org.pk in first:
            since = timezone.localdate(first[org.pk])
        annual = annual_quantity(
            yearly_g=yearly.get(org.pk, {}),
            operating_since=since,
            today=today,
            declared_g=basis.declared_annual_g if basis else None,
            intermittent=bool(basis and basis.intermittent),
        )
        decision = supervision_tier(
            annual=annual,
            has_in_house_facility=org.pk in in_house,
            holds_operating_licence=org.pk in licensed,
        )
        result.append(
            ProducerTier(
                organisation=org,
                decision=decision,
                yearly_g=yearly.get(org.pk, {}),
                operating_since=since,
                upcoming=filings_next_of_each_kind(decision.tier, today=today),
            )
        )
    return result


supervision_tiers = _tiers  # public name for other modules (alert rules, filings)


def supervision_list(
    *, viewer: Viewer, today: date | None = None, tier: str = "", search: str = ""
) -> list[ProducerTier]:
    """The producers whose ledger the viewer sees, each with its tier, reasons and calendar."""
    day = today or timezone.localdate()
    orgs = ledger_organisations_visible(viewer=viewer).filter(is_producer=True)
    if search := search.strip():
        orgs = orgs.filter(Q(name__icontains=search) | Q(uscc__icontains=search))
    result = _tiers(list(orgs.order_by("name")), day, ids=orgs.values_list("pk", flat=True))
    if tier:
        result = [p for p in result if p.tier == tier]
    return result


def supervision_of(
    *, viewer: Viewer, organisation: Organisation, today: date | None = None
) -> ProducerTier:
    org = ledger_organisation_get(viewer=viewer, uscc=organisation.uscc)
    return _tiers([org], today or timezone.localdate())[0]
