"""Flow pages: the Sankey of a stream, period and region, and the industry chain.

Thin: parse the filters, call the selector, present, render. What a viewer may see is decided
in `wufei.flows.selectors` (regulators their regions, enterprises their own waste).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from wufei.accounts.viewer import Viewer, viewer_of_request
from wufei.core.errors import ValidationFailed
from wufei.domain.ledger_units import tonnes_text
from wufei.flows import selectors
from wufei.flows.chains import chain_view
from wufei.flows.presenters import LEVEL_LABELS, flow_view, gap_rows
from wufei.flows.selectors import FlowQuery
from wufei.transfer.models import DocType

PARAMS = ("stream", "year", "start", "end", "region", "level", "park")


_viewer = viewer_of_request


def _query(request: HttpRequest) -> tuple[FlowQuery, str]:
    """The filters, or the defaults with the reason they were refused."""
    given = {name: request.GET.get(name, "").strip() for name in PARAMS}
    try:
        return selectors.flow_query_parse(**given), ""
    except ValidationFailed as exc:
        return selectors.flow_query_parse(), exc.message


def _filters(viewer: Viewer, query: FlowQuery, error: str) -> dict[str, Any]:
    this_year = timezone.localdate().year
    return {
        "query": query,
        "error": error,
        "streams": DocType.choices,
        "levels": [(level.value, label) for level, label in LEVEL_LABELS.items()],
        "years": list(range(this_year, this_year - 6, -1)),
        "regions": selectors.flow_regions_visible(viewer=viewer),
        "parks": selectors.flow_parks_visible(viewer=viewer, region=query.region),
        "end_day": type(query.end).fromordinal(query.end.toordinal() - 1),
    }


@login_required
def sankey_page(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    query, error = _query(request)
    report = selectors.flow_report(viewer=viewer, query=query)
    view = flow_view(report.graph, query)
    context = _filters(viewer, query, error) | {
        "view": view,
        "gaps": gap_rows(report.gaps),
        "gap_count": report.gap_count,
        "total_in": tonnes_text(view.total_in_g),
        "unexplained": tonnes_text(report.graph.unexplained_g),
        "chart": view.echarts(),
    }
    return render(request, "flows/sankey.html", context)


@login_required
def chains_page(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    query, error = _query(request)
    chain = selectors.flow_chain(viewer=viewer, query=query)
    context = _filters(viewer, query, error) | {"chain": chain_view(chain, query)}
    return render(request, "flows/chains.html", context)
