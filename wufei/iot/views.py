"""IoT pages: devices, a device's last readings, weighings, and a trip's track as SVG.
Thin: a selector, then render. What the viewer may not see is a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from wufei.accounts.viewer import viewer_of_request
from wufei.core.errors import NotFound
from wufei.domain.iot_track import track_drawing
from wufei.iot import selectors

PAGE_SIZE = 50


_viewer = viewer_of_request


@login_required
def device_list(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    page = Paginator(selectors.device_list_visible(viewer=viewer), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "iot/device_list.html", {"page": page})


@login_required
def device_detail(request: HttpRequest, serial: str) -> HttpResponse:
    viewer = _viewer(request)
    try:
        device = selectors.device_get_visible(viewer=viewer, serial=serial)
    except NotFound as exc:
        raise Http404(exc.message) from None
    readings = selectors.readings_recent(viewer=viewer, device=device, limit=50)
    weighings = list(device.weighings.select_related("manifest").order_by("-measured_at")[:20])
    trips = list(
        selectors.trip_list_visible(viewer=viewer).filter(vehicle_id=device.vehicle_id)[:20]
        if device.vehicle_id
        else []
    )
    return render(
        request,
        "iot/device_detail.html",
        {"device": device, "readings": readings, "weighings": weighings, "trips": trips},
    )


@login_required
def weighing_list(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    qs = selectors.weighing_list_visible(viewer=viewer)
    if request.GET.get("unmatched") == "1":
        qs = qs.filter(manifest__isnull=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "iot/weighing_list.html",
        {"page": page, "unmatched": request.GET.get("unmatched") == "1"},
    )


@login_required
def trip_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    try:
        trip = selectors.trip_get_visible(viewer=viewer, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from None
    fixes = selectors.trip_track(trip=trip)
    drawing = track_drawing([(f.latitude, f.longitude) for f in fixes])
    return render(
        request, "iot/trip_detail.html", {"trip": trip, "fixes": fixes, "drawing": drawing}
    )
