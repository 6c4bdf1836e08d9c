"""Inventory page and its XLSX download. Thin: parse region/year, call the selector, render.
Only regulators of the region and admins see it (others: 404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from wufei.accounts.viewer import Viewer, viewer_of_request
from wufei.bulletin.inventory import Inventory, inventory_regions_visible, waste_inventory
from wufei.bulletin.presenters import table_view
from wufei.bulletin.xlsx import inventory_workbook
from wufei.core.errors import NotFound

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(text: str) -> int:
    this_year = timezone.localdate().year
    if text.isdigit() and 2000 <= int(text) <= this_year + 1:
        return int(text)
    return this_year - 1


def _inventory(request: HttpRequest, viewer: Viewer) -> Inventory:
    regions = inventory_regions_visible(viewer=viewer)
    code = request.GET.get("region", "").strip() or (regions[0].code if regions else "")
    try:
        return waste_inventory(
            viewer=viewer, region_code=code, year=_year(request.GET.get("year", ""))
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def inventory_page(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of_request(request)
    inventory = _inventory(request, viewer)
    this_year = timezone.localdate().year
    context = {
        "inventory": inventory,
        "tables": [table_view(t) for t in inventory.tables],
        "regions": inventory_regions_visible(viewer=viewer),
        "years": list(range(this_year, this_year - 6, -1)),
    }
    return render(request, "bulletin/inventory.html", context)


@login_required
def inventory_xlsx(request: HttpRequest) -> HttpResponse:
    inventory = _inventory(request, viewer_of_request(request))
    response = HttpResponse(inventory_workbook(inventory), content_type=XLSX)
    name = f"waste-inventory-{inventory.region.code}-{inventory.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
