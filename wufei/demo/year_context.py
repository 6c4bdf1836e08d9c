"""The database rows a demo year refers to, looked up once: organisations by plan key,
facilities, vehicles, permits, catalog codes and methods, and the people who sign.

The year writer resolves every name of the plan here (a few queries for the whole year) so
that writing is nothing but building rows in memory and inserting them in bulk. Signing
members are created here too: one office member per organisation that takes part (named after
its first person responsible, so the ledger's 经办人 and the manifest's signer agree) and one
driver per carrier. They cannot log in (unusable password); the demo logins stay for people.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import models
from django.utils.translation import gettext as _

from wufei.accounts.models import Membership, MembershipRole, User
from wufei.catalog.models import CatalogEdition, HazardousCode, TreatmentMethod
from wufei.core.errors import Conflict, ValidationFailed
from wufei.demo.models import DemoDistrict
from wufei.domain.demo_year_records import YearPlan
from wufei.registry.models import Facility, Organisation, Permit, PermitKind, Vehicle
from wufei.transfer.rules import rules_for


@contextmanager
def historical(model: type[models.Model], *names: str) -> Iterator[None]:
    """Write these `auto_now_add` fields as set: a generated year happened in the past."""
    fields: list[Any] = [model._meta.get_field(name) for name in names]
    saved = [(f, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, value in saved:
            f.auto_now_add = value


@dataclass
class YearContext:
    district: DemoDistrict
    orgs: dict[str, Organisation]
    facilities: dict[tuple[str, str], Facility]  # (org key, facility code), region loaded
    vehicles: dict[str, Vehicle]
    road_licences: dict[str, Permit]  # carrier key → its road hazmat licence
    permits: dict[tuple[str, str], Permit]  # (receiver key, doc type) → licence it receives under
    codes: dict[str, HazardousCode]
    methods: dict[str, TreatmentMethod]
    staff: dict[str, User]  # org key → its signing office member
    drivers: dict[str, User]  # carrier key → its signing driver

    def signer(self, organisation: str, driver: bool) -> User:
        return self.drivers[organisation] if driver else self.staff[organisation]


def _edition(year: int) -> CatalogEdition:
    edition = next(
        (e for e in CatalogEdition.objects.all() if e.in_force_on(date(year, 7, 1))), None
    )
    if edition is None:
        raise ValidationFailed(
            _("No edition of the national hazardous waste list is in force in %(year)s.")
            % {"year": year},
            code="demo_catalog_missing",
        )
    return edition


def _permits(orgs: dict[str, Organisation], year: int) -> dict[tuple[str, str], Permit]:
    """Each receiver's licence per document type: valid all year, of a kind the rules accept."""
    by_org: dict[int, list[Permit]] = {}
    qs = Permit.objects.filter(
        organisation__in=orgs.values(), valid_from__lte=date(year, 1, 1)
    ).order_by("facility_id", "number")
    for permit in qs:
        by_org.setdefault(permit.organisation_id, []).append(permit)
    found = {}
    for key, org in orgs.items():
        for doc_type in ("hazardous", "medical"):
            kinds = rules_for(doc_type).receiver_permit_kinds
            chosen = next((p for p in by_org.get(org.pk, []) if p.kind in kinds), None)
            if chosen is not None:
                found[key, doc_type] = chosen
    return found


def _people(
    district: DemoDistrict, year: YearPlan, orgs: dict[str, Organisation], keys: Iterable[str]
) -> tuple[dict[str, User], dict[str, User]]:
    wanted: list[tuple[str, str, bool]] = [(k, year.staff[k][0], False) for k in keys]
    wanted += [(k, name, True) for k, name in year.drivers.items()]
    usernames = [f"demo-{k.lower()}{'-driver' if d else ''}" for k, _n, d in wanted]
    if taken := sorted(
        User.objects.filter(username__in=usernames).values_list("username", flat=True)
    ):
        raise Conflict(
            _("Users %(names)s exist and were not created by the demo: rename or delete them.")
            % {"names": ", ".join(taken[:10])},
            code="demo_clash",
        )
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [
            User(username=u, password=unusable, display_name=name, is_active=True)
            for u, (_k, name, _d) in zip(usernames, wanted, strict=True)
        ],
        batch_size=500,
    )
    Membership.objects.bulk_create(
        [
            Membership(
                user=user,
                organisation=orgs[k],
                role=MembershipRole.DRIVER if d else MembershipRole.MEMBER,
            )
            for user, (k, _n, d) in zip(users, wanted, strict=True)
        ],
        batch_size=500,
    )
    district.signers.add(*users)
    staff = {k: u for u, (k, _n, d) in zip(users, wanted, strict=True) if not d}
    drivers = {k: u for u, (k, _n, d) in zip(users, wanted, strict=True) if d}
    return staff, drivers


def year_context_build(*, district: DemoDistrict, year: YearPlan) -> YearContext:
    """Resolve the plan's names against what `demo_district_write` stored, and add signers."""
    members = district.members.select_related("organisation")
    orgs = {m.key: m.organisation for m in members}
    key_of = {o.pk: k for k, o in orgs.items()}
    facilities = {
        (key_of[f.organisation_id], f.code): f
        for f in Facility.objects.filter(organisation__in=orgs.values()).select_related("region")
    }
    vehicles = {v.plate_number: v for v in Vehicle.objects.filter(organisation__in=orgs.values())}
    road = {
        p.organisation_id: p
        for p in Permit.objects.filter(organisation__in=orgs.values(), kind=PermitKind.ROAD_HAZMAT)
    }
    edition = _edition(year.year)
    taking_part = {e.owner for e in year.events} | {m.shipper for m in year.manifests}
    taking_part |= {m.receiver for m in year.manifests}
    taking_part |= {leg.carrier for m in year.manifests for leg in m.legs}
    staff, drivers = _people(district, year, orgs, sorted(taking_part))
    return YearContext(
        district=district,
        orgs=orgs,
        facilities=facilities,
        vehicles=vehicles,
        road_licences={k: road[o.pk] for k, o in orgs.items() if o.pk in road},
        permits=_permits(orgs, year.year),
        codes={c.code: c for c in HazardousCode.objects.filter(edition=edition)},
        methods={m.code: m for m in TreatmentMethod.objects.all()},
        staff=staff,
        drivers=drivers,
    )
