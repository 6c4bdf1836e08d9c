"""Registry endpoints under /api/v1/registry/. Thin: parse, call a selector or service, answer.

Everything is filtered by the caller's visibility (see `wufei.registry.selectors`); what a
caller may not see answers 404, exactly like what does not exist. (No `from __future__ import
annotations` here: django-ninja reads the parameter annotations at runtime.)
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from wufei.accounts.models import Membership, RegulatorScope, User
from wufei.accounts.viewer import Viewer, viewer_for
from wufei.api.pagination import PageNumber
from wufei.core.errors import NotPermitted
from wufei.registry import selectors
from wufei.registry.models import Facility, Organisation, Park, Permit, Region, Vehicle
from wufei.registry.schemas import (
    FacilityOut,
    MeOut,
    OrganisationIn,
    OrganisationOut,
    ParkOut,
    PermitOut,
    RegionOut,
    VehicleOut,
)
from wufei.registry.services import organisation_create

router = Router()


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # the global auth guarantees a signed-in user
    return request.user


def _viewer(request: HttpRequest) -> Viewer:
    return viewer_for(_user(request))


class OrganisationFilters(Schema):
    search: str = ""
    role: str = ""
    region_code: str = ""
    park: int | None = None
    mine: bool = False


class FacilityFilters(Schema):
    search: str = ""
    kind: str = ""
    region_code: str = ""
    mine: bool = False


class PermitFilters(Schema):
    search: str = ""
    kind: str = ""
    status: str = ""
    mine: bool = False


class SearchFilters(Schema):
    search: str = ""
    mine: bool = False


class ParkFilters(Schema):
    search: str = ""
    region_code: str = ""


class RegionFilters(Schema):
    search: str = ""
    parent: str = ""


@router.post("/organisations", response={201: OrganisationOut}, summary="Register an organisation")
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Status[Organisation]:
    """Admins register anywhere, regulators in their regions; anyone else self-registers and
    becomes the organisation's administrator."""
    user = _user(request)
    org = organisation_create(viewer=viewer_for(user), actor=user, **payload.model_dump())
    # Read it back through the visibility rules, as the creator now sees it.
    return Status(201, selectors.organisation_get_visible(viewer=viewer_for(user), uscc=org.uscc))


@router.get("/organisations", response=list[OrganisationOut])
@paginate(PageNumber)
def list_organisations(
    request: HttpRequest, filters: Query[OrganisationFilters]
) -> QuerySet[Organisation]:
    return selectors.organisation_list_visible(
        viewer=_viewer(request),
        search=filters.search,
        role=filters.role,
        region_code=filters.region_code,
        park_id=filters.park,
        mine=filters.mine,
    )


@router.get("/organisations/{uscc}", response=OrganisationOut)
def get_organisation(request: HttpRequest, uscc: str) -> Organisation:
    return selectors.organisation_get_visible(viewer=_viewer(request), uscc=uscc)


@router.get("/organisations/{uscc}/facilities", response=list[FacilityOut])
@paginate(PageNumber)
def organisation_facilities(request: HttpRequest, uscc: str) -> QuerySet[Facility]:
    viewer = _viewer(request)
    org = selectors.organisation_get_visible(viewer=viewer, uscc=uscc)
    return selectors.facility_list_visible(viewer=viewer, organisation=org)


@router.get("/organisations/{uscc}/permits", response=list[PermitOut])
@paginate(PageNumber)
def organisation_permits(request: HttpRequest, uscc: str) -> QuerySet[Permit]:
    viewer = _viewer(request)
    org = selectors.organisation_get_visible(viewer=viewer, uscc=uscc)
    return selectors.permit_list_visible(viewer=viewer, organisation=org)


@router.get("/organisations/{uscc}/vehicles", response=list[VehicleOut])
@paginate(PageNumber)
def organisation_vehicles(request: HttpRequest, uscc: str) -> QuerySet[Vehicle]:
    viewer = _viewer(request)
    org = selectors.organisation_get_visible(viewer=viewer, uscc=uscc)
    if not selectors.organisation_detail_for(viewer=viewer, organisation=org).show_vehicles:
        raise NotPermitted(
            _("Vehicles are shown only to the organisation's members and its regulators."),
            code="directory_entry",
        )
    return selectors.vehicle_list_visible(viewer=viewer, organisation=org)


@router.get("/facilities", response=list[FacilityOut])
@paginate(PageNumber)
def list_facilities(request: HttpRequest, filters: Query[FacilityFilters]) -> QuerySet[Facility]:
    return selectors.facility_list_visible(viewer=_viewer(request), **filters.model_dump())


@router.get("/permits", response=list[PermitOut])
@paginate(PageNumber)
def list_permits(request: HttpRequest, filters: Query[PermitFilters]) -> QuerySet[Permit]:
    return selectors.permit_list_visible(viewer=_viewer(request), **filters.model_dump())


@router.get("/vehicles", response=list[VehicleOut])
@paginate(PageNumber)
def list_vehicles(request: HttpRequest, filters: Query[SearchFilters]) -> QuerySet[Vehicle]:
    return selectors.vehicle_list_visible(viewer=_viewer(request), **filters.model_dump())


@router.get("/parks", response=list[ParkOut])
@paginate(PageNumber)
def list_parks(request: HttpRequest, filters: Query[ParkFilters]) -> QuerySet[Park]:
    return selectors.park_list_visible(viewer=_viewer(request), **filters.model_dump())


@router.get("/regions", response=list[RegionOut])
@paginate(PageNumber)
def list_regions(request: HttpRequest, filters: Query[RegionFilters]) -> QuerySet[Region]:
    return selectors.region_search(search=filters.search, parent_code=filters.parent)


@router.get("/me", response=MeOut, summary="Who am I")
def me(request: HttpRequest) -> dict[str, Any]:
    user = _user(request)
    viewer = viewer_for(user)
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    organisations = [m.organisation for m in memberships]
    roles = (["admin"] if viewer.is_admin else []) + (["regulator"] if viewer.is_regulator else [])
    roles += [
        role
        for role, flag in selectors.ROLE_FLAGS.items()
        if any(getattr(org, flag) for org in organisations)
    ]
    return {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "is_admin": viewer.is_admin,
        "roles": roles,
        "memberships": [{"organisation": m.organisation, "role": m.role} for m in memberships],
        "regulator_scopes": list(RegulatorScope.objects.filter(user=user).select_related("region")),
    }
