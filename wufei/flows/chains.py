"""Presenting the industry chain (产业链): groups of sources → receiving facilities → methods.

A utilisation method (R…) is where waste becomes a product; the catalog's method name says
which kind of product (e.g. R2 solvent recovery), and that is all the data says, so that is
what is shown. Rows drill down: industry → parks, park → its enterprises, enterprise → its
ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from wufei.domain.ledger_units import tonnes_text
from wufei.domain.material_flows import Chain, ChainLink, Level
from wufei.flows.presenters import method_names
from wufei.flows.selectors import FlowQuery
from wufei.registry.models import Organisation

CHAIN_COLOURS = ("#1f77b4", "#8c564b", "#7f7f7f")  # source, receiver, method (R in green)
NEXT_LEVEL = {Level.INDUSTRY: Level.PARK, Level.PARK: Level.ENTERPRISE}


@dataclass(frozen=True)
class ChainRow:
    link: ChainLink
    source: str
    receiver: str
    method: str
    utilisation: bool
    href: str

    @property
    def tonnes(self) -> str:
        return tonnes_text(self.link.grams)


@dataclass(frozen=True)
class ChainView:
    rows: list[ChainRow]
    months: tuple[str, ...]
    series: list[dict[str, Any]]  # ECharts stacked bars, tonnes as Decimal strings
    graph: dict[str, Any]  # ECharts sankey: source → receiver → method

    @property
    def total(self) -> str:
        return tonnes_text(sum(row.link.grams for row in self.rows))


def _source_label(link: ChainLink) -> str:
    if link.source_label:
        return link.source_label
    return _("No park") if link.source_key.startswith("park:") else _("Industry not given")


def _drill_href(link: ChainLink, query: FlowQuery) -> str:
    kind, _sep, key = link.source_key.partition(":")
    if kind == Level.ENTERPRISE:
        uscc = Organisation.objects.filter(pk=key).values_list("uscc", flat=True).first()
        return reverse("ledger:home", args=[uscc]) if uscc else ""
    params = {
        "stream": query.stream,
        "start": query.start.isoformat(),
        "end": (query.end - timedelta(days=1)).isoformat(),
        "region": query.region,
        "level": NEXT_LEVEL[Level(kind)].value,
    }
    if kind == Level.PARK and key:
        params["park"] = key
    return f"{reverse('flows:chains')}?{urlencode(params)}"


def chain_view(chain: Chain, query: FlowQuery) -> ChainView:
    methods = method_names({link.method for link in chain.links})
    rows = []
    for link in chain.links:
        method = f"{link.method} {methods.get(link.method, '')}".strip() or _("Method not given")
        rows.append(
            ChainRow(
                link=link,
                source=_source_label(link),
                receiver=link.receiver_name if link.receiver_id else _("In-house plant"),
                method=method,
                utilisation=link.method_kind == "utilisation",
                href=_drill_href(link, query),
            )
        )
    series = [
        {
            "name": name or _("Industry not given"),
            "type": "bar",
            "stack": "treated",
            "data": [
                tonnes_text(by_month.get(month, 0)).replace(",", "") for month in chain.months
            ],
        }
        for name, by_month in sorted(chain.series.items())
    ]
    nodes: dict[str, dict[str, Any]] = {}
    links: dict[tuple[str, str], int] = {}
    for row in rows:
        source = f"s:{row.link.source_key}"
        receiver = f"r:{row.link.receiver_id or 'in_house'}"
        method = f"m:{row.link.method}"
        for node_id, label, depth in (
            (source, row.source, 0),
            (receiver, row.receiver, 1),
            (method, row.method, 2),
        ):
            colour = CHAIN_COLOURS[depth]
            if depth == 2 and row.utilisation:
                colour = "#2ca02c"
            nodes.setdefault(
                node_id,
                {"name": node_id, "label": label, "depth": depth, "itemStyle": {"color": colour}},
            )
        for pair in ((source, receiver), (receiver, method)):
            links[pair] = links.get(pair, 0) + row.link.grams
    graph = {
        "nodes": list(nodes.values()),
        "links": [{"source": s, "target": t, "value": g} for (s, t), g in links.items()],
    }
    return ChainView(rows=rows, months=chain.months, series=series, graph=graph)
