"""Endpoints under /api/v1/map/: the map's figures and its facilities as GeoJSON.

Thin: the same selectors and payload as the page (`wufei.dashboard.charts`), for regulators
and administrators; anyone else, or a region outside the viewer's, gets 404.
(No `from __future__ import annotations`: ninja reads the annotations at runtime.)
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from wufei.accounts.models import User
from wufei.accounts.viewer import viewer_for
from wufei.dashboard.charts import chart_payload, enterprise_url, tonnes
from wufei.dashboard.selectors import Scope, dashboard_overview, dashboard_scope, facility_points

router = Router()


def _scope(request: HttpRequest, region: str, year: int | None) -> Scope:
    assert isinstance(request.user, User)
    return dashboard_scope(viewer=viewer_for(request.user), region_code=region, year=year)


@router.get("/overview", summary="The map's figures for a region and year, with their links")
def overview(request: HttpRequest, region: str = "", year: int | None = None) -> dict[str, Any]:
    return chart_payload(dashboard_overview(_scope(request, region, year)))


@router.get(
    "/facilities.geojson",
    summary="Facilities of a region (and the ends of its flows) as GeoJSON points",
)
def facilities(request: HttpRequest, region: str = "", year: int | None = None) -> dict[str, Any]:
    scope = _scope(request, region, year)
    points = facility_points(scope, [])
    return {
        "type": "FeatureCollection",
        "properties": {"region": scope.region.code, "year": scope.year},
        "features": [
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    # coordinates for drawing (micro-degrees), never a quantity
                    "coordinates": [float(p.longitude), float(p.latitude)],
                },
                "properties": {
                    "code": p.code,
                    "name": p.name,
                    "kind": p.kind,
                    "organisation": p.organisation,
                    "uscc": p.uscc,
                    "tonnes": tonnes(p.grams),
                    "url": enterprise_url(p.uscc, p.code),
                },
            }
            for p in points
        ],
    }
