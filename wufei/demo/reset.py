"""Remove what the demo generator created, and nothing else.

Each `DemoDistrict` lists what it owns: its organisations (with their facilities, permits,
vehicles, memberships and waste profiles, which cascade), parks, the townships it added and its
logins. Catalogs and the shipped GB/T 2260 regions are never touched. The generated year's
manifests, ledger events, containers and audit log protect those organisations, so they go
first (`wufei.demo.year_reset`).
"""

from __future__ import annotations

import contextlib

from django.db import transaction
from django.db.models import ProtectedError

from wufei.accounts.models import User
from wufei.demo.models import DemoDistrict, DemoOrganisation
from wufei.demo.year_reset import demo_audit_discard, demo_year_clear
from wufei.demo.year_supervision import demo_supervision_clear
from wufei.registry.models import Organisation, Park, Region


def demo_district_occupied(*, region_code: str) -> bool:
    """Whether a demo district exists, or any organisation is registered under the region."""
    return (
        DemoDistrict.objects.exists()
        or Organisation.objects.filter(region__prefix__startswith=region_code).exists()
    )


@transaction.atomic
def demo_district_reset() -> int:
    """Delete every demo district and what it owns; return how many organisations went."""
    removed = 0
    districts = list(DemoDistrict.objects.all())
    demo_audit_discard(districts)
    organisation_ids = list(
        DemoOrganisation.objects.filter(district__in=districts).values_list(
            "organisation_id", flat=True
        )
    )
    demo_supervision_clear(
        organisation_ids=organisation_ids,
        user_ids=[
            pk
            for district in districts
            for pk in [
                *district.users.values_list("pk", flat=True),
                *district.signers.values_list("pk", flat=True),
            ]
        ],
    )
    demo_year_clear(organisation_ids=organisation_ids)
    for district in districts:
        org_ids = list(district.members.values_list("organisation_id", flat=True))
        user_ids = list(district.users.values_list("pk", flat=True))
        user_ids += district.signers.values_list("pk", flat=True)
        park_ids = list(district.parks.values_list("pk", flat=True))
        township_codes = list(district.townships.values_list("code", flat=True))
        district.delete()  # its profiles, totals and capacities first
        Organisation.objects.filter(pk__in=org_ids).delete()
        User.objects.filter(pk__in=user_ids).delete()
        Park.objects.filter(pk__in=park_ids).delete()
        for township in Region.objects.filter(code__in=township_codes):
            # Someone may have registered a real party there since: then keep the street.
            with contextlib.suppress(ProtectedError):
                township.delete()
        removed += len(org_ids)
    return removed
