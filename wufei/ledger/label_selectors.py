"""Which containers a user may list and print labels for: its own organisations' containers.

Labels are the producer's business (HJ 1276-2022 puts them on the unit that generates or
collects the waste), so only members of the container's organisation — and platform
administrators — list them and download their PDFs. Anyone else gets "not found". Printing
is an act: a read-only member or a driver may list but not print (see `containers`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from wufei.accounts.viewer import Viewer
from wufei.catalog.models import HazardousCode
from wufei.catalog.selectors import current_edition
from wufei.core.errors import NotFound, ValidationFailed
from wufei.ledger.models import Container
from wufei.registry.models import Organisation

MAX_PRINT = 500  # labels in one PDF


def label_organisations(*, viewer: Viewer) -> QuerySet[Organisation]:
    """The organisations whose containers the viewer may register (acts for them)."""
    if viewer.is_admin:
        return Organisation.objects.order_by("name")
    ids = [org for org in viewer.memberships if viewer.can_act_for(org)]
    return Organisation.objects.filter(pk__in=ids).order_by("name")


@dataclass(frozen=True)
class ContainerFilters:
    search: str = ""
    organisation_uscc: str = ""
    waste_code: str = ""
    generated_on: date | None = None
    sequence_from: int | None = None
    sequence_to: int | None = None
    codes: tuple[str, ...] | None = None


NO_FILTERS = ContainerFilters()


def container_list_visible(
    *, viewer: Viewer, filters: ContainerFilters = NO_FILTERS
) -> QuerySet[Container]:
    if not viewer.is_authenticated:
        return Container.objects.none()
    qs = Container.objects.select_related("organisation", "waste_code__category")
    if not viewer.is_admin:
        qs = qs.filter(organisation_id__in=viewer.organisation_ids)
    f = filters
    if search := f.search.strip():
        qs = qs.filter(Q(code__icontains=search) | Q(internal_code__icontains=search))
    if f.organisation_uscc:
        qs = qs.filter(organisation__uscc=f.organisation_uscc.strip().upper())
    if f.waste_code:
        qs = qs.filter(waste_code__code=f.waste_code.strip())
    if f.generated_on is not None:
        qs = qs.filter(generated_on=f.generated_on)
    if f.sequence_from is not None:
        qs = qs.filter(sequence__gte=f.sequence_from)
    if f.sequence_to is not None:
        qs = qs.filter(sequence__lte=f.sequence_to)
    if f.codes is not None:
        qs = qs.filter(code__in=f.codes)
    return qs.order_by("-generated_on", "organisation__name", "waste_code__code", "sequence")


def waste_code_in_force(*, code: str, on: date) -> HazardousCode:
    """The code of the National Hazardous Waste List in force on `on` (the generation date)."""
    edition = current_edition(on=on)
    found = (
        HazardousCode.objects.select_related("category", "edition")
        .filter(edition=edition, code=code.strip())
        .first()
    )
    if found is None:
        raise ValidationFailed(
            _("%(code)s is not a code of the National Hazardous Waste List in force on %(day)s.")
            % {"code": code, "day": on.isoformat()},
            code="unknown_code",
            field="waste_code",
        )
    return found


def container_get_visible(*, viewer: Viewer, code: str) -> Container:
    container = container_list_visible(viewer=viewer).filter(code=code.strip()).first()
    if container is None:
        raise NotFound(_("No container has the code %(code)s.") % {"code": code}, field="code")
    return container


def containers_to_print(*, viewer: Viewer, filters: ContainerFilters) -> list[Container]:
    """The containers a print request names, in label order; refuses empty or huge runs."""
    found = list(
        container_list_visible(viewer=viewer, filters=filters).order_by(
            "generated_on", "waste_code__code", "sequence"
        )[: MAX_PRINT + 1]
    )
    if not found:
        raise NotFound(_("No container matches: there is no label to print."))
    if len(found) > MAX_PRINT:
        raise ValidationFailed(
            _("At most %(n)s labels can be printed at once; narrow the selection.")
            % {"n": MAX_PRINT},
            code="too_many",
        )
    return found
