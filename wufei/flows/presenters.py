"""Turning a flow graph into what the page, the table and the API show.

Node ids stay stable (they are what the API and tests compare); labels are translated here:
fixed nodes (fates, storage, in-house plant, unexplained) get their names, methods their
catalog names, groups without a park or industry a word instead of nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wufei.catalog.models import TreatmentMethod
from wufei.domain.ledger_units import tonnes_text
from wufei.domain.material_flows import Gap, Level, Node, NodeKind, Sankey, Stage
from wufei.flows.selectors import FlowQuery
from wufei.registry.models import Organisation

FIXED_LABELS: dict[NodeKind, Promise] = {
    NodeKind.UNEXPLAINED_SOURCE: gettext_lazy("Unexplained source"),
    NodeKind.FROM_STORAGE: gettext_lazy("Taken from storage"),
    NodeKind.IN_HOUSE: gettext_lazy("In-house plant"),
    NodeKind.UTILISED: gettext_lazy("Utilised (R)"),
    NodeKind.DISPOSED: gettext_lazy("Disposed of (D)"),
    NodeKind.OTHER: gettext_lazy("Other treatment"),
    NodeKind.STORED: gettext_lazy("Kept in storage"),
    NodeKind.AWAITING: gettext_lazy("Awaiting treatment at the receiver"),
    NodeKind.IN_TRANSIT: gettext_lazy("In transit"),
    NodeKind.REFUSED: gettext_lazy("Refused or returned"),
    NodeKind.UNEXPLAINED: gettext_lazy("Unexplained"),
}
STAGE_LABELS: dict[Stage, Promise] = {
    Stage.SOURCE: gettext_lazy("Source"),
    Stage.CODE: gettext_lazy("Waste code"),
    Stage.CARRIER: gettext_lazy("Carrier"),
    Stage.METHOD: gettext_lazy("Treatment method"),
    Stage.FATE: gettext_lazy("Fate"),
}
LEVEL_LABELS: dict[Level, Promise] = {
    Level.INDUSTRY: gettext_lazy("Industry"),
    Level.PARK: gettext_lazy("Park"),
    Level.ENTERPRISE: gettext_lazy("Enterprise"),
}
# Colours of the chart: unexplained in red, the ordinary fates calm.
COLOURS: dict[NodeKind, str] = {
    NodeKind.UNEXPLAINED: "#d62728",
    NodeKind.UNEXPLAINED_SOURCE: "#d62728",
    NodeKind.UTILISED: "#2ca02c",
    NodeKind.DISPOSED: "#7f7f7f",
    NodeKind.STORED: "#bcbd22",
    NodeKind.FROM_STORAGE: "#bcbd22",
    NodeKind.AWAITING: "#17becf",
    NodeKind.IN_TRANSIT: "#9edae5",
    NodeKind.REFUSED: "#ff7f0e",
    NodeKind.SOURCE: "#1f77b4",
    NodeKind.CODE: "#9467bd",
    NodeKind.CARRIER: "#8c564b",
    NodeKind.IN_HOUSE: "#8c564b",
    NodeKind.METHOD: "#e377c2",
}


def method_names(codes: set[str]) -> dict[str, str]:
    return dict(TreatmentMethod.objects.filter(code__in=codes).values_list("code", "name"))


def node_label(node: Node, methods: Mapping[str, str]) -> str:
    if node.kind in FIXED_LABELS:
        return str(FIXED_LABELS[node.kind])
    if node.kind == NodeKind.METHOD:
        name = methods.get(node.label, "")
        return f"{node.label} {name}".strip() if node.label else _("Method not given")
    if node.kind == NodeKind.SOURCE and not node.label:
        return _("No park") if node.id.startswith("source:park:") else _("Industry not given")
    return node.label


@dataclass(frozen=True)
class FlowRow:
    """One link of the graph as a table row, with where to find the records it sums."""

    source_id: str
    target_id: str
    source: str
    target: str
    grams: int
    unexplained: bool
    href: str

    @property
    def tonnes(self) -> str:
        return tonnes_text(self.grams)


@dataclass(frozen=True)
class FlowView:
    graph: Sankey
    labels: dict[str, str]
    rows: list[FlowRow]

    @property
    def unexplained_rows(self) -> list[FlowRow]:
        return [row for row in self.rows if row.unexplained]

    @property
    def total_in_g(self) -> int:
        roots = {n.id for n in self.graph.nodes if n.stage == Stage.SOURCE}
        return sum(link.grams for link in self.graph.links if link.source in roots)

    def echarts(self) -> dict[str, Any]:
        """The ECharts sankey series data: nodes by id with display names. Nodes carrying
        less than 1.5 % of the mass are marked `small` (no label on the chart, only in the
        tooltip and the table), except unexplained ones, which are always labelled."""
        total = max(self.total_in_g, 1)

        def through(node: Node) -> int:
            return max(self.graph.inflow(node.id), self.graph.outflow(node.id))

        return {
            "nodes": [
                {
                    "name": node.id,
                    "label": self.labels[node.id],
                    "depth": list(Stage).index(node.stage),
                    "itemStyle": {"color": COLOURS.get(node.kind, "#1f77b4")},
                    "unexplained": node.unexplained,
                    "small": not node.unexplained and through(node) * 1000 < total * 15,
                }
                for node in self.graph.nodes
            ],
            "links": [
                {"source": link.source, "target": link.target, "value": link.grams}
                for link in self.graph.links
            ],
        }


def _ledger_href(node_id: str, code: str, query: FlowQuery) -> str:
    """For an enterprise → code row: that enterprise's B.1 records of the code."""
    org_id = node_id.removeprefix("source:enterprise:")
    uscc = Organisation.objects.filter(pk=org_id).values_list("uscc", flat=True).first()
    if not uscc:
        return ""
    params = {
        "table": "B.1",
        "code": code,
        "start": query.start.isoformat(),
        "end": (query.end - timedelta(days=1)).isoformat(),
    }
    return f"{reverse('ledger:home', args=[uscc])}?{urlencode(params)}"


MANIFEST_STATUS_OF: dict[str, str] = {
    "fate:in_transit": "in_transit",
    "fate:refused": "refused",
    "fate:awaiting": "accepted",
    "fate:unexplained": "treated",
}


def _row_href(source: Node, target: Node, query: FlowQuery) -> str:
    if source.id.startswith("source:enterprise:") and target.stage == Stage.CODE:
        return _ledger_href(source.id, target.label, query)
    if source.kind == NodeKind.SOURCE:
        params = {
            "stream": query.stream,
            "start": query.start.isoformat(),
            "end": (query.end - timedelta(days=1)).isoformat(),
            "region": query.region,
            "level": Level.ENTERPRISE.value,
        }
        return f"{reverse('flows:sankey')}?{urlencode(params)}"
    if source.stage in (Stage.CODE, Stage.CARRIER) and source.kind != NodeKind.IN_HOUSE:
        params = {}
        if status := MANIFEST_STATUS_OF.get(target.id):
            params["status"] = status
        manifests = reverse("transfer:manifest_list")
        return f"{manifests}?{urlencode(params)}" if params else manifests
    return ""


def flow_view(graph: Sankey, query: FlowQuery) -> FlowView:
    methods = method_names({n.label for n in graph.nodes if n.kind == NodeKind.METHOD})
    labels = {node.id: node_label(node, methods) for node in graph.nodes}
    nodes = {node.id: node for node in graph.nodes}
    rows = [
        FlowRow(
            source_id=link.source,
            target_id=link.target,
            source=labels[link.source],
            target=labels[link.target],
            grams=link.grams,
            unexplained=nodes[link.source].unexplained or nodes[link.target].unexplained,
            href=_row_href(nodes[link.source], nodes[link.target], query),
        )
        for link in graph.links
    ]
    stages = list(Stage)
    rows.sort(
        key=lambda r: (
            stages.index(nodes[r.source_id].stage),
            stages.index(nodes[r.target_id].stage),
            -r.grams,
            r.source_id,
            r.target_id,
        )
    )
    return FlowView(graph=graph, labels=labels, rows=rows)


@dataclass(frozen=True)
class GapRow:
    gap: Gap
    where: str
    href: str

    @property
    def tonnes(self) -> str:
        return tonnes_text(abs(self.gap.grams))


def gap_rows(found: list[Gap]) -> list[GapRow]:
    """What the unexplained mass is made of, each with the record to open."""
    usccs = dict(
        Organisation.objects.filter(
            pk__in={gap.source.id for gap in found if not gap.ref}
        ).values_list("pk", "uscc")
    )
    rows = []
    for gap in found:
        if gap.stage == Stage.CARRIER and gap.ref:
            where = _("Manifest %(number)s") % {"number": gap.ref}
            href = reverse("transfer:manifest_detail", args=[gap.ref])
        else:
            where = _("Ledger of %(name)s against its manifests") % {"name": gap.source.name}
            uscc = usccs.get(gap.source.id)
            href = reverse("ledger:balance", args=[uscc]) if uscc else ""
        rows.append(GapRow(gap=gap, where=where, href=href))
    return rows
