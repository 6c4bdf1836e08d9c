"""The regulator's map pages (一张图): overview, drill-down and the records behind a figure.

Thin: parse the region, year and figure, call the dashboard selectors, render. Only
regulators and administrators have a map; for an enterprise user (and for a region outside
the viewer's) every page answers 404, as for any record the viewer may not see — an
enterprise's own figures are on its ledger pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from wufei.accounts.viewer import Viewer, viewer_of_request
from wufei.core.errors import DomainError, NotFound
from wufei.dashboard import drill
from wufei.dashboard.charts import chart_payload, records_url
from wufei.dashboard.records import dashboard_records
from wufei.dashboard.selectors import (
    Scope,
    dashboard_overview,
    dashboard_regions,
    dashboard_scope,
    scope_years,
)
from wufei.registry.models import Region

PAGE_SIZE = 50


_viewer = viewer_of_request


def _year(request: HttpRequest) -> int | None:
    text = request.GET.get("year", "").strip()
    if text.isdigit() and 2000 <= int(text) <= timezone.localdate().year + 1:
        return int(text)
    return None


def _scope(request: HttpRequest, viewer: Viewer, region_code: str = "") -> Scope:
    try:
        return dashboard_scope(viewer=viewer, region_code=region_code, year=_year(request))
    except NotFound as exc:
        raise Http404(exc.message) from None


def _common(request: HttpRequest, scope: Scope) -> dict[str, Any]:
    return {
        "scope": scope,
        "years": scope_years(viewer=scope.viewer, region=scope.region),
        "screen": request.GET.get("screen") == "1",
        "crumbs": drill.breadcrumb_regions(viewer=scope.viewer, region=scope.region),
    }


@login_required
def map_page(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    scope = _scope(request, viewer, request.GET.get("region", ""))
    overview = dashboard_overview(scope)
    payload = chart_payload(overview)
    return render(
        request,
        "dashboard/map.html",
        {
            **_common(request, scope),
            "regions": dashboard_regions(viewer=viewer),
            "overview": overview,
            "payload": payload,
        },
    )


@login_required
def region_page(request: HttpRequest, code: str) -> HttpResponse:
    viewer = _viewer(request)
    scope = _scope(request, viewer, code)
    return render(
        request,
        "dashboard/region.html",
        {**_common(request, scope), "breakdown": drill.region_breakdown(scope)},
    )


@login_required
def park_page(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    try:
        park = drill.dashboard_park(viewer=viewer, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from None
    scope = _scope(request, viewer, park.region.code)
    return render(
        request,
        "dashboard/park.html",
        {**_common(request, scope), "breakdown": drill.park_breakdown(scope=scope, park=park)},
    )


def _home_region(viewer: Viewer, region: Region) -> str:
    """The organisation's region when the viewer may open it, else the viewer's default."""
    return region.code if viewer.is_admin or viewer.regulates(region.prefix) else ""


@login_required
def enterprise_page(request: HttpRequest, uscc: str) -> HttpResponse:
    viewer = _viewer(request)
    try:
        org = drill.dashboard_enterprise(viewer=viewer, uscc=uscc)
    except NotFound as exc:
        raise Http404(exc.message) from None
    scope = _scope(request, viewer, _home_region(viewer, org.region))
    view = drill.enterprise_view(scope=scope, organisation=org)
    return render(
        request,
        "dashboard/enterprise.html",
        {
            **_common(request, scope),
            "crumbs": drill.breadcrumb_regions(viewer=viewer, region=org.region),
            "view": view,
            "org": org,
            "records_generate": records_url(scope, "generate"),
        },
    )


@login_required
def records_page(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    scope = _scope(request, viewer, request.GET.get("region", ""))
    metric = request.GET.get("metric", "")
    try:
        records = dashboard_records(scope=scope, metric=metric, params=request.GET.dict())
    except DomainError as exc:
        raise Http404(exc.message) from None
    page = Paginator(records.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "dashboard/records.html",
        {
            **_common(request, scope),
            "records": records,
            "page": page,
            "querystring": params.urlencode(),
            "filters": {k: request.GET.get(k, "") for k in ("code", "month", "doc_type")},
        },
    )
