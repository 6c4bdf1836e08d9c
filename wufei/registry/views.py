"""Registry pages: searchable lists and the organisation page. Thin: parse GET, call a
selector, render. An HTMX request (live search) gets only the results fragment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wufei.accounts.viewer import viewer_of_request
from wufei.core.errors import NotFound, ValidationFailed
from wufei.registry import selectors
from wufei.registry.models import FacilityKind, PermitKind

PAGE_SIZE = 50
ROLE_CHOICES = [
    ("producer", _("Producers")),
    ("small", _("Small and micro producers")),
    ("carrier", _("Carriers")),
    ("collector", _("Collectors")),
    ("treatment", _("Utilisation/disposal facilities")),
]
STATUS_CHOICES = [
    ("current", _("In force")),
    ("valid", _("Valid")),
    ("expiring", _("Expiring soon")),
    ("expired", _("Expired")),
]
M = TypeVar("M", bound=Model)


_viewer = viewer_of_request


def _filters(request: HttpRequest, *names: str) -> dict[str, str]:
    return {name: request.GET.get(name, "").strip() for name in names}


def _render_list(
    request: HttpRequest,
    *,
    name: str,
    select: Callable[[], QuerySet[M]],
    empty: QuerySet[M],
    filters: dict[str, str],
    **extra: Any,
) -> HttpResponse:
    """Paginate what `select` returns; a refused filter (unknown region…) shows its message."""
    error = ""
    try:
        queryset = select()
    except ValidationFailed as exc:
        error, queryset = exc.message, empty
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "error": error,
        "querystring": params.urlencode(),
        "today": timezone.localdate(),
        "tab": name,
        **extra,
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, f"registry/_{name}_results.html", context)
    return render(request, f"registry/{name}_list.html", context)


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    filters = _filters(request, "q", "role", "region", "park", "mine")
    role = filters["role"] if filters["role"] in selectors.ROLE_FLAGS else ""
    park = filters["park"]
    return _render_list(
        request,
        name="organisation",
        select=lambda: selectors.organisation_list_visible(
            viewer=viewer,
            search=filters["q"],
            role=role,
            region_code=filters["region"],
            park_id=int(park) if park.isdigit() else None,
            mine=filters["mine"] == "1",
        ),
        empty=selectors.organisation_list_visible(viewer=viewer).none(),
        filters=filters,
        roles=ROLE_CHOICES,
        parks=selectors.park_list_visible(viewer=viewer),
    )


@login_required
def facility_list(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    filters = _filters(request, "q", "kind", "region", "mine")
    kind = filters["kind"] if filters["kind"] in FacilityKind.values else ""
    return _render_list(
        request,
        name="facility",
        select=lambda: selectors.facility_list_visible(
            viewer=viewer,
            search=filters["q"],
            kind=kind,
            region_code=filters["region"],
            mine=filters["mine"] == "1",
        ),
        empty=selectors.facility_list_visible(viewer=viewer).none(),
        filters=filters,
        kinds=FacilityKind.choices,
    )


@login_required
def permit_list(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    filters = _filters(request, "q", "kind", "status", "mine")
    kind = filters["kind"] if filters["kind"] in PermitKind.values else ""
    status = filters["status"] if filters["status"] in selectors.PERMIT_STATUSES else ""
    return _render_list(
        request,
        name="permit",
        select=lambda: selectors.permit_list_visible(
            viewer=viewer,
            search=filters["q"],
            kind=kind,
            status=status,
            mine=filters["mine"] == "1",
        ),
        empty=selectors.permit_list_visible(viewer=viewer).none(),
        filters=filters,
        kinds=PermitKind.choices,
        statuses=STATUS_CHOICES,
    )


@login_required
def vehicle_list(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    filters = _filters(request, "q", "mine")
    return _render_list(
        request,
        name="vehicle",
        select=lambda: selectors.vehicle_list_visible(
            viewer=viewer, search=filters["q"], mine=filters["mine"] == "1"
        ),
        empty=selectors.vehicle_list_visible(viewer=viewer).none(),
        filters=filters,
    )


@login_required
def park_list(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    filters = _filters(request, "q", "region")
    return _render_list(
        request,
        name="park",
        select=lambda: selectors.park_list_visible(
            viewer=viewer, search=filters["q"], region_code=filters["region"]
        ),
        empty=selectors.park_list_visible(viewer=viewer).none(),
        filters=filters,
    )


@login_required
def organisation_detail(request: HttpRequest, uscc: str) -> HttpResponse:
    viewer = _viewer(request)
    try:
        organisation = selectors.organisation_get_visible(viewer=viewer, uscc=uscc)
    except NotFound as exc:
        raise Http404(exc.message) from None
    detail = selectors.organisation_detail_for(viewer=viewer, organisation=organisation)
    return render(
        request,
        "registry/organisation_detail.html",
        {
            "org": organisation,
            "detail": detail,
            "facilities": detail.facilities(),
            "permits": detail.permits(),
            "vehicles": detail.vehicles(),
            "members": detail.members(),
            "today": timezone.localdate(),
            "tab": "organisation",
        },
    )
