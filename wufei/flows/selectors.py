"""Flow records, reports and chains for a viewer.

What each flow term is measured from is described in `wufei.flows.records` (the raw reading);
whole-month periods are answered from the maintained aggregates (`wufei.rollups`, ADR 0012),
which must give the same answer.

Visibility: an administrator sees every source; a regulator the producers registered in its
regions; an enterprise member its own organisations only (its own node as the only source);
anyone else nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.accounts.viewer import Viewer
from wufei.core.errors import ValidationFailed
from wufei.domain.material_flows import (
    Chain,
    FlowRecords,
    Gap,
    Level,
    Sankey,
    gap_count,
    gaps,
    records_chain,
    sankey,
)
from wufei.flows.records import flow_records_raw
from wufei.ledger.selectors import ledger_reporting_year
from wufei.registry.models import Organisation, Region
from wufei.rollups.selectors import covers, flow_records_from_cells
from wufei.transfer.models import DocType

NOTHING = Q(pk__in=[])
GAP_LIMIT = 100  # gaps listed on the page and in the API, largest first


@dataclass(frozen=True)
class FlowQuery:
    """What flows to show; `end` is exclusive."""

    stream: str = DocType.HAZARDOUS
    start: date = date(2024, 1, 1)
    end: date = date(2025, 1, 1)
    region: str = ""  # a GB/T 2260 prefix, "" for everything the viewer sees
    level: Level = Level.INDUSTRY
    park: int | None = None  # only the enterprises of this park (the chain's drill-down)

    @classmethod
    def for_year(cls, year: int, **kwargs: Any) -> FlowQuery:
        return cls(start=date(year, 1, 1), end=date(year + 1, 1, 1), **kwargs)


def flow_query_parse(
    *,
    stream: str = "",
    year: str = "",
    start: str = "",
    end: str = "",
    region: str = "",
    level: str = "",
    park: str = "",
) -> FlowQuery:
    """A FlowQuery from request parameters (defaults: hazardous waste, the latest year with
    ledger data, industry)."""
    if stream and stream not in DocType.values:
        raise ValidationFailed(_("Unknown stream."), code="unknown_stream", field="stream")
    if level and level not in Level.__members__.values():
        raise ValidationFailed(_("Unknown grouping level."), code="unknown_level", field="level")
    region = region.strip()
    if park and not park.isdigit():
        raise ValidationFailed(_("Unknown park."), code="unknown_park", field="park")
    if region and not region.isdigit():
        raise ValidationFailed(_("A region is a division code prefix."), field="region")
    try:
        if start or end:
            today = timezone.localdate()
            first = date.fromisoformat(start) if start else date(today.year, 1, 1)
            last = date.fromisoformat(end) if end else today
            first_day, end_day = first, date.fromordinal(last.toordinal() + 1)
        else:
            chosen = int(year) if year else ledger_reporting_year(today=timezone.localdate())
            first_day, end_day = date(chosen, 1, 1), date(chosen + 1, 1, 1)
    except ValueError:
        raise ValidationFailed(_("Give dates as YYYY-MM-DD."), field="start") from None
    if end_day <= first_day:
        raise ValidationFailed(_("The period ends before it starts."), field="end")
    return FlowQuery(
        stream=stream or DocType.HAZARDOUS,
        start=first_day,
        end=end_day,
        region=region,
        level=Level(level) if level else Level.INDUSTRY,
        park=int(park) if park else None,
    )


def flow_sources_visible(
    *, viewer: Viewer, region: str = "", park: int | None = None
) -> QuerySet[Organisation]:
    """The organisations whose waste the viewer may follow as a source."""
    if not viewer.is_authenticated:
        q = NOTHING
    elif viewer.is_admin:
        q = Q()
    else:
        q = Q(pk__in=viewer.organisation_ids) if viewer.memberships else NOTHING
        if viewer.is_regulator:
            q |= viewer.region_q("region__prefix")
    qs = Organisation.objects.filter(q)
    if region:
        qs = qs.filter(region__prefix__startswith=region)
    if park is not None:
        qs = qs.filter(park_id=park)
    return qs


def flow_records(*, viewer: Viewer, query: FlowQuery) -> FlowRecords:
    """The flow records of the viewer's visible sources for `query`: from the maintained
    aggregates when the period is a calendar year (grouped at `query.level`), else raw."""
    orgs = flow_sources_visible(viewer=viewer, region=query.region, park=query.park)
    stream, start, end = query.stream, query.start, query.end
    if covers(start, end):
        return flow_records_from_cells(
            orgs, stream=stream, start=start, end=end, level=query.level, gap_limit=GAP_LIMIT
        )
    return flow_records_raw(orgs, stream=stream, start=start, end=end)


@dataclass(frozen=True)
class FlowReport:
    graph: Sankey
    gaps: list[Gap]  # the GAP_LIMIT largest
    gap_count: int  # all of them


def flow_report_of(records: FlowRecords, level: Level) -> FlowReport:
    """The graph and the largest gaps of a set of records, however they were read."""
    return FlowReport(
        graph=sankey(records, level), gaps=gaps(records)[:GAP_LIMIT], gap_count=gap_count(records)
    )


def flow_report(*, viewer: Viewer, query: FlowQuery) -> FlowReport:
    """The Sankey graph of `query` for the viewer, and what its unexplained mass is made of
    (the largest gaps; a year of weighbridge differences holds one per manifest line)."""
    return flow_report_of(flow_records(viewer=viewer, query=query), query.level)


def flow_parks_visible(*, viewer: Viewer, region: str = "") -> list[tuple[int, str]]:
    """Parks that hold at least one visible source, for the drill-down filter."""
    rows = (
        flow_sources_visible(viewer=viewer, region=region)
        .filter(park__isnull=False)
        .values_list("park_id", "park__name")
        .distinct()
        .order_by("park__name")
    )
    return [(pk, name) for pk, name in rows]


def flow_chain(*, viewer: Viewer, query: FlowQuery) -> Chain:
    return records_chain(flow_records(viewer=viewer, query=query), query.level)


def flow_regions_visible(*, viewer: Viewer) -> list[Region]:
    """The regions (and their parents) where the viewer's visible sources are registered."""
    codes = set(flow_sources_visible(viewer=viewer).values_list("region_id", flat=True).distinct())
    found: dict[str, Region] = {}
    while codes:
        regions = Region.objects.filter(code__in=codes - set(found))
        codes = set()
        for region in regions:
            found[region.code] = region
            if region.parent_id and region.parent_id not in found:
                codes.add(region.parent_id)
    return sorted(found.values(), key=lambda r: r.code)
