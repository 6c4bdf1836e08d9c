"""Endpoints under /api/v1/flows/. Thin: parse the filters, call the selector, answer.
(No `from __future__ import annotations`: ninja reads them.)"""

from django.http import HttpRequest
from ninja import Query, Router, Schema

from wufei.accounts.models import User
from wufei.accounts.viewer import viewer_for
from wufei.domain.ledger_units import tonnes_text
from wufei.flows import selectors
from wufei.flows.chains import chain_view
from wufei.flows.presenters import flow_view

router = Router()


class FlowFilters(Schema):
    stream: str = ""
    year: str = ""
    start: str = ""
    end: str = ""
    region: str = ""
    level: str = ""
    park: str = ""


class NodeOut(Schema):
    id: str
    stage: str
    kind: str
    label: str
    unexplained: bool


class LinkOut(Schema):
    source: str
    target: str
    grams: int
    tonnes: str


class GapOut(Schema):
    stage: str
    source: str
    code: str
    grams: int
    manifest: str


class SankeyOut(Schema):
    start: str
    end: str
    stream: str
    level: str
    total_in_g: int
    unexplained_g: int
    nodes: list[NodeOut]
    links: list[LinkOut]
    gaps: list[GapOut]
    gap_count: int


class ChainLinkOut(Schema):
    source_key: str
    source: str
    receiver_id: int | None
    receiver: str
    method: str
    grams: int


class ChainOut(Schema):
    months: list[str]
    series: dict[str, dict[str, int]]
    links: list[ChainLinkOut]


@router.get("/sankey", response=SankeyOut, summary="Material flows as a Sankey graph")
def sankey(request: HttpRequest, filters: Query[FlowFilters]) -> dict[str, object]:
    """Nodes and links (integer grams) of the stream, period and region the viewer may see;
    mass the records do not explain goes to/from the `unexplained` nodes; `gaps` lists the
    largest 100 of them, `gap_count` says how many there are."""
    assert isinstance(request.user, User)
    query = selectors.flow_query_parse(**filters.dict())
    report = selectors.flow_report(viewer=viewer_for(request.user), query=query)
    view = flow_view(report.graph, query)
    return {
        "start": query.start.isoformat(),
        "end": query.end.isoformat(),
        "stream": query.stream,
        "level": query.level.value,
        "total_in_g": view.total_in_g,
        "unexplained_g": report.graph.unexplained_g,
        "nodes": [
            {
                "id": n.id,
                "stage": n.stage.value,
                "kind": n.kind.value,
                "label": view.labels[n.id],
                "unexplained": n.unexplained,
            }
            for n in report.graph.nodes
        ],
        "links": [
            {
                "source": link.source,
                "target": link.target,
                "grams": link.grams,
                "tonnes": tonnes_text(link.grams),
            }
            for link in report.graph.links
        ],
        "gaps": [
            {
                "stage": gap.stage.value,
                "source": gap.source.name,
                "code": gap.code,
                "grams": gap.grams,
                "manifest": gap.ref,
            }
            for gap in report.gaps
        ],
        "gap_count": report.gap_count,
    }


@router.get("/chains", response=ChainOut, summary="Industry chain: sources → facilities → methods")
def chains(request: HttpRequest, filters: Query[FlowFilters]) -> dict[str, object]:
    """Treated grams per source group, receiving facility and method, and per month."""
    assert isinstance(request.user, User)
    query = selectors.flow_query_parse(**filters.dict())
    chain = selectors.flow_chain(viewer=viewer_for(request.user), query=query)
    view = chain_view(chain, query)
    return {
        "months": list(chain.months),
        "series": {name: dict(by_month) for name, by_month in chain.series.items()},
        "links": [
            {
                "source_key": row.link.source_key,
                "source": row.source,
                "receiver_id": row.link.receiver_id,
                "receiver": row.receiver,
                "method": row.link.method,
                "grams": row.link.grams,
            }
            for row in view.rows
        ],
    }
