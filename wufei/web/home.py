"""What the home page shows each role: counts that link to the lists they sum."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wufei.accounts.viewer import Viewer
from wufei.catalog.selectors import current_edition
from wufei.registry.models import Facility, Organisation, Permit, Vehicle
from wufei.registry.selectors import organisation_list_visible
from wufei.transfer.selectors import manifest_list_visible, manifest_overdue_receipts


@dataclass(frozen=True)
class Stat:
    label: str | Promise
    value: int
    url: str


@dataclass(frozen=True)
class Panel:
    title: str | Promise
    stats: list[Stat]


def home_panels(*, viewer: Viewer) -> list[Panel]:
    panels: list[Panel] = []
    orgs = reverse("registry:organisation_list")
    if viewer.is_admin or viewer.is_regulator:
        visible = organisation_list_visible(viewer=viewer)
        title = _("Platform") if viewer.is_admin else _("My jurisdiction")
        panels.append(
            Panel(
                title,
                [
                    Stat(_("Organisations"), visible.count(), orgs),
                    Stat(
                        _("Producers"),
                        visible.filter(is_producer=True).count(),
                        f"{orgs}?role=producer",
                    ),
                    Stat(
                        _("Carriers"),
                        visible.filter(is_carrier=True).count(),
                        f"{orgs}?role=carrier",
                    ),
                    Stat(
                        _("Utilisation/disposal facilities"),
                        visible.filter(is_treatment=True).count(),
                        f"{orgs}?role=treatment",
                    ),
                    Stat(
                        _("Facilities"),
                        Facility.objects.filter(organisation__in=visible).count(),
                        reverse("registry:facility_list"),
                    ),
                    Stat(
                        _("Permits"),
                        Permit.objects.filter(organisation__in=visible).count(),
                        reverse("registry:permit_list"),
                    ),
                ],
            )
        )
    if viewer.memberships:
        mine = Organisation.objects.filter(pk__in=viewer.organisation_ids)
        panels.append(
            Panel(
                _("My organisations"),
                [
                    Stat(_("Organisations"), mine.count(), f"{orgs}?mine=1"),
                    Stat(
                        _("Facilities"),
                        Facility.objects.filter(organisation__in=mine).count(),
                        f"{reverse('registry:facility_list')}?mine=1",
                    ),
                    Stat(
                        _("Permits"),
                        Permit.objects.filter(organisation__in=mine).count(),
                        f"{reverse('registry:permit_list')}?mine=1",
                    ),
                    Stat(
                        _("Vehicles"),
                        Vehicle.objects.filter(organisation__in=mine).count(),
                        f"{reverse('registry:vehicle_list')}?mine=1",
                    ),
                ],
            )
        )
    manifests = reverse("transfer:manifest_list")
    transfers: list[Stat] = []
    if viewer.memberships:
        transfers.append(
            Stat(
                _("Manifests waiting for me"),
                manifest_list_visible(viewer=viewer, to_sign=True).count(),
                f"{manifests}?tab=to_sign",
            )
        )
    if viewer.memberships or viewer.is_regulator or viewer.is_admin:
        transfers.append(
            Stat(
                _("Manifests"), manifest_list_visible(viewer=viewer).count(), f"{manifests}?tab=all"
            )
        )
    if viewer.is_regulator or viewer.is_admin:
        transfers.append(
            Stat(
                _("Receipts overdue or late (Art. 18)"),
                manifest_overdue_receipts(viewer=viewer).count(),
                f"{manifests}?tab=overdue",
            )
        )
    if transfers:
        panels.insert(0, Panel(_("Transfer manifests"), transfers))
    edition = current_edition()
    if edition is not None:
        panels.append(
            Panel(
                _("National catalogs"),
                [
                    Stat(
                        _("Hazardous waste codes"),
                        edition.codes.count(),
                        reverse("catalog:hazardous_list"),
                    ),
                    Stat(
                        _("Hazardous waste categories"),
                        edition.categories.count(),
                        reverse("catalog:hazardous_list"),
                    ),
                    Stat(
                        _("Exemption conditions"),
                        edition.exemptions.count(),
                        reverse("catalog:exemption_list"),
                    ),
                ],
            )
        )
    return panels
