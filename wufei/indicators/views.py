"""Indicator pages: the table of a set for a region and year, one indicator's detail, the
input form and the recompute button. Thin: parse, call a selector or service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wufei.accounts.viewer import Viewer, viewer_of_request
from wufei.core.errors import DomainError, NotFound
from wufei.domain.indicator_inputs import INPUT_KEYS, allowed_units
from wufei.indicators import selectors
from wufei.indicators.forms import StatInputForm
from wufei.indicators.services import indicator_values_compute, may_enter_inputs, stat_input_enter
from wufei.registry.models import Region

DEFAULT_REGION = "330108"


_viewer = viewer_of_request


def _year(text: str | None, default: int) -> int:
    try:
        return int(text) if text else default
    except ValueError:
        return default


def _choice(request: HttpRequest, viewer: Viewer) -> tuple[Region, int]:
    """Region and year from the query, defaulting to the viewer's region and the latest year."""
    regions = selectors.regions_with_statistics(viewer=viewer)
    code = request.GET.get("region") or (regions[0].code if regions else DEFAULT_REGION)
    try:
        region = selectors.region_get(viewer=viewer, code=code)
    except NotFound as exc:
        raise Http404(exc.message) from None
    latest = selectors.latest_year_with_values(region=region)
    return region, _year(request.GET.get("year"), latest or timezone.localdate().year - 1)


def _query(region: Region, year: int, **extra: str) -> str:
    query: dict[str, str | int] = {"region": region.code, "year": year, **extra}
    return urlencode(query)


@login_required
def indicator_index(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    sets = selectors.indicator_sets_visible(viewer=viewer)
    if not sets:
        return render(request, "indicators/index.html", {"sets": [], "rows": []})
    try:
        chosen = selectors.indicator_set_get(
            viewer=viewer, code=request.GET.get("set") or sets[0].code
        )
    except NotFound as exc:
        raise Http404(exc.message) from None
    region, year = _choice(request, viewer)
    rows = selectors.indicator_table(viewer=viewer, indicator_set=chosen, region=region, year=year)
    context: dict[str, Any] = {
        "sets": sets,
        "chosen": chosen,
        "region": region,
        "regions": selectors.regions_with_statistics(viewer=viewer),
        "year": year,
        "years": list(range(year - 4, year + 1)),
        "rows": rows,
        "computed": any(r.value is not None for r in rows),
        "outdated": selectors.indicator_values_outdated(viewer=viewer, region=region, year=year),
        "can_enter": may_enter_inputs(viewer, region),
        "query": _query(region, year),
    }
    return render(request, "indicators/index.html", context)


@login_required
def indicator_page(request: HttpRequest, set_code: str, code: str) -> HttpResponse:
    viewer = _viewer(request)
    try:
        indicator = selectors.indicator_get(viewer=viewer, set_code=set_code, code=code)
    except NotFound as exc:
        raise Http404(exc.message) from None
    region, year = _choice(request, viewer)
    detail = selectors.indicator_detail(
        viewer=viewer, indicator=indicator, region=region, year=year
    )
    context = {
        "indicator": indicator,
        "region": region,
        "year": year,
        "can_enter": may_enter_inputs(viewer, region),
        "query": _query(region, year),
        **detail,
    }
    return render(request, "indicators/detail.html", context)


@login_required
def stat_input_new(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    initial = {k: request.GET.get(k, "") for k in ("region", "year", "key")}
    form = StatInputForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            region = selectors.region_get(viewer=viewer, code=data["region"])
            stat_input_enter(
                viewer=viewer,
                region=region,
                year=data["year"],
                key=data["key"],
                value=data["value"],
                unit=data["unit"].strip(),
                source=data["source"],
                evidence=data.get("evidence"),
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Statistic recorded; the indicators are recomputed."))
            return redirect(f"{reverse('indicators:index')}?{_query(region, data['year'])}")
    units = {k.key: " / ".join(allowed_units(k)) for k in INPUT_KEYS.values()}
    return render(request, "indicators/input_form.html", {"form": form, "units": units})


@login_required
@require_POST
def values_recompute(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    try:
        region = selectors.region_get(viewer=viewer, code=request.POST.get("region", ""))
    except NotFound as exc:
        raise Http404(exc.message) from None
    year = _year(request.POST.get("year"), timezone.localdate().year)
    if not may_enter_inputs(viewer, region):
        raise Http404("not found")
    changed = indicator_values_compute(region=region, year=year)
    messages.success(request, _("%(n)d values updated.") % {"n": changed})
    set_code = request.POST.get("set", "")
    return redirect(f"{reverse('indicators:index')}?{_query(region, year, set=set_code)}")
