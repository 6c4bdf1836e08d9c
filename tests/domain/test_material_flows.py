"""Material flows against hand-computed graphs, and conservation as a property."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from wufei.domain.material_flows import (
    CodeGapSum,
    FlowRecords,
    Generation,
    InHouse,
    Level,
    NodeKind,
    Shipment,
    Source,
    Stage,
    StockChange,
    TreatedMonth,
    gap_count,
    gaps,
    imbalances,
    industry_chain,
    records_chain,
    sankey,
)

KG = 1000
A = Source(1, "甲化工", "2614", "有机化学原料制造", 7, "江南园")
B = Source(2, "乙电镀", "3360", "金属表面处理", 7, "江南园")
C = Source(3, "丙制药", "2710", "化学药品原料药制造", None, "")


def ship(source: Source = A, **kwargs: object) -> Shipment:
    values: dict[str, object] = {
        "source": source,
        "code": "900-249-08",
        "carrier_id": 50,
        "carrier_name": "安运物流",
        "receiver_id": 60,
        "receiver_name": "萧山处置",
        "declared_g": 250 * KG,
        "treated_g": 250 * KG,
        "method": "D10",
        "method_kind": "disposal",
        "month": "2024-03",
    }
    values.update(kwargs)
    return Shipment(**values)  # type: ignore[arg-type]


def links(graph) -> dict[tuple[str, str], int]:
    return {(link.source, link.target): link.grams for link in graph.links}


def test_complete_chain_closes_with_the_hand_computed_links():
    # 甲 generated 300 kg: 250 kg shipped and incinerated (D10), 30 kg burnt in-house, 20 kg
    # kept in store. 300 = 250 + 30 + 20.
    records = FlowRecords(
        generations=(Generation(A, "900-249-08", 300 * KG),),
        stock_changes=(StockChange(A, "900-249-08", 20 * KG),),
        in_house=(InHouse(A, "900-249-08", "R9", "utilisation", 30 * KG),),
        shipments=(ship(),),
    )
    graph = sankey(records)
    assert links(graph) == {
        ("source:enterprise:1", "code:900-249-08"): 300 * KG,
        ("code:900-249-08", "fate:stored"): 20 * KG,
        ("code:900-249-08", "carrier:in_house"): 30 * KG,
        ("carrier:in_house", "method:R9"): 30 * KG,
        ("method:R9", "fate:utilised"): 30 * KG,
        ("code:900-249-08", "carrier:50"): 250 * KG,
        ("carrier:50", "method:D10"): 250 * KG,
        ("method:D10", "fate:disposed"): 250 * KG,
    }
    assert graph.unexplained_g == 0
    assert imbalances(graph) == {}


def test_a_withheld_treatment_record_is_unexplained_by_exactly_its_weight():
    # The manifest says "treated" but the 250 kg line carries no treated weight: nothing
    # explains where it went after the carrier.
    graph = sankey(
        FlowRecords(
            generations=(Generation(A, "900-249-08", 250 * KG),),
            shipments=(ship(treated_g=0, method="", method_kind=""),),
        )
    )
    assert links(graph)[("carrier:50", "fate:unexplained")] == 250 * KG
    assert graph.unexplained_g == 250 * KG
    assert imbalances(graph) == {}


def test_more_shipped_than_generated_enters_from_the_unexplained_source():
    # 80 kg generated, 100 kg declared on the manifest, no stock drawn: 20 kg from nowhere.
    graph = sankey(
        FlowRecords(
            generations=(Generation(A, "900-249-08", 80 * KG),),
            shipments=(ship(declared_g=100 * KG, treated_g=100 * KG),),
        )
    )
    assert links(graph)[("source:unexplained", "code:900-249-08")] == 20 * KG
    assert graph.unexplained_g == 20 * KG
    assert imbalances(graph) == {}


def test_drawing_from_opening_stock_explains_shipping_more_than_generated():
    graph = sankey(
        FlowRecords(
            generations=(Generation(A, "900-249-08", 80 * KG),),
            stock_changes=(StockChange(A, "900-249-08", -20 * KG),),
            shipments=(ship(declared_g=100 * KG, treated_g=100 * KG),),
        )
    )
    assert links(graph)[("source:from_storage", "code:900-249-08")] == 20 * KG
    assert graph.unexplained_g == 0


def test_gaps_of_two_enterprises_do_not_cancel_when_grouped():
    # 甲 lost 10 kg, 乙 shipped 10 kg it never generated: same park, same code. Grouped by
    # park, both gaps still show (10 out + 10 in), never a net zero.
    records = FlowRecords(
        generations=(Generation(A, "900-249-08", 110 * KG), Generation(B, "900-249-08", 90 * KG)),
        shipments=(
            ship(A, declared_g=100 * KG, treated_g=100 * KG),
            ship(B, declared_g=100 * KG, treated_g=100 * KG),
        ),
    )
    graph = sankey(records, Level.PARK)
    assert links(graph)[("source:park:7", "code:900-249-08")] == 200 * KG
    assert links(graph)[("code:900-249-08", "fate:unexplained")] == 10 * KG
    assert links(graph)[("source:unexplained", "code:900-249-08")] == 10 * KG
    assert graph.unexplained_g == 20 * KG


def test_transit_refusal_and_awaiting_are_explained_and_a_transport_loss_is_not():
    # 100 declared: 40 still in transit on another line; here 100 declared, 95 received,
    # 15 refused, 50 treated, 30 awaiting treatment → 5 kg lost on the road.
    line = ship(declared_g=100 * KG, refused_g=15 * KG, treated_g=50 * KG, awaiting_g=30 * KG)
    moving = ship(declared_g=40 * KG, treated_g=0, in_transit_g=40 * KG, method="")
    graph = sankey(
        FlowRecords(generations=(Generation(A, "900-249-08", 140 * KG),), shipments=(line, moving))
    )
    got = links(graph)
    assert got[("carrier:50", "fate:refused")] == 15 * KG
    assert got[("carrier:50", "fate:awaiting")] == 30 * KG
    assert got[("carrier:50", "fate:in_transit")] == 40 * KG
    assert got[("carrier:50", "fate:unexplained")] == 5 * KG
    assert graph.unexplained_g == 5 * KG
    assert imbalances(graph) == {}


def test_grouping_levels_label_sources():
    records = FlowRecords(
        generations=(
            Generation(A, "900-249-08", 1),
            Generation(B, "900-249-08", 2),
            Generation(C, "x", 4),
        )
    )
    by_industry = sankey(records, Level.INDUSTRY)
    assert by_industry.node("source:industry:2614").label == "2614 有机化学原料制造"
    by_park = sankey(records, Level.PARK)
    assert by_park.node("source:park:7").label == "江南园"
    assert links(by_park)[("source:park:7", "code:900-249-08")] == 3
    assert by_park.node("source:park:").label == ""  # no park: the view says "no park"


def test_industry_chain_counts_treated_grams_by_receiver_method_and_month():
    chain = industry_chain(
        [ship(), ship(B, treated_g=100 * KG, month="2024-04"), ship(treated_g=0, method="")],
        [InHouse(A, "900-249-08", "R9", "utilisation", 30 * KG, "2024-04")],
        Level.INDUSTRY,
    )
    assert [(c.source_key, c.receiver_id, c.method, c.grams) for c in chain.links] == [
        ("industry:2614", 60, "D10", 250 * KG),
        ("industry:3360", 60, "D10", 100 * KG),
        ("industry:2614", None, "R9", 30 * KG),
    ]
    assert chain.months == ("2024-03", "2024-04")
    assert chain.series["2614 有机化学原料制造"] == {"2024-03": 250 * KG, "2024-04": 30 * KG}


# --- properties -----------------------------------------------------------------------------

SOURCES = st.sampled_from([A, B, C])
CODES = st.sampled_from(["900-249-08", "900-041-49", "772-002-18"])
GRAMS = st.integers(min_value=0, max_value=10**9)


@st.composite
def shipments(draw: st.DrawFn) -> Shipment:
    parts = draw(st.lists(GRAMS, min_size=4, max_size=4))
    return ship(
        draw(SOURCES),
        code=draw(CODES),
        carrier_id=draw(st.sampled_from([50, 51])),
        declared_g=draw(GRAMS),
        in_transit_g=parts[0],
        refused_g=parts[1],
        treated_g=parts[2],
        awaiting_g=parts[3],
        method=draw(st.sampled_from(["D10", "R9", "C1"])),
        method_kind=draw(st.sampled_from(["disposal", "utilisation", "other"])),
    )


records_strategy = st.builds(
    FlowRecords,
    generations=st.lists(st.builds(Generation, SOURCES, CODES, GRAMS), max_size=6).map(tuple),
    stock_changes=st.lists(
        st.builds(StockChange, SOURCES, CODES, st.integers(-(10**9), 10**9)), max_size=4
    ).map(tuple),
    in_house=st.lists(
        st.builds(
            InHouse,
            SOURCES,
            CODES,
            st.sampled_from(["R9", "D10"]),
            st.sampled_from(["utilisation", "disposal"]),
            GRAMS,
        ),
        max_size=4,
    ).map(tuple),
    shipments=st.lists(shipments(), max_size=6).map(tuple),
)


@settings(max_examples=200, deadline=None)
@given(records_strategy, st.sampled_from(list(Level)))
def test_every_inner_node_conserves_mass(records: FlowRecords, level: Level):
    graph = sankey(records, level)
    assert imbalances(graph) == {}
    assert all(link.grams > 0 for link in graph.links)
    # Everything that enters the graph (sources, storage drawn, unexplained source) leaves it
    # at a fate.
    roots = {n.id for n in graph.nodes if n.stage == "source"}
    sinks = {n.id for n in graph.nodes if n.stage == "fate"}
    entering = sum(link.grams for link in graph.links if link.source in roots)
    leaving = sum(link.grams for link in graph.links if link.target in sinks)
    assert entering == leaving


@settings(max_examples=100, deadline=None)
@given(records_strategy)
def test_complete_records_have_no_unexplained_mass(records: FlowRecords):
    # Make the records complete: each line's treated weight takes up what the rest leaves,
    # and each (source, code) keeps in store whatever it did not ship or treat.
    lines = tuple(
        ship(
            s.source,
            code=s.code,
            declared_g=s.in_transit_g + s.refused_g + s.awaiting_g + s.treated_g,
            in_transit_g=s.in_transit_g,
            refused_g=s.refused_g,
            awaiting_g=s.awaiting_g,
            treated_g=s.treated_g,
            method=s.method,
            method_kind=s.method_kind,
        )
        for s in records.shipments
    )
    keys = {(g.source, g.code) for g in records.generations}
    keys |= {(h.source, h.code) for h in records.in_house} | {(s.source, s.code) for s in lines}
    stock = tuple(
        StockChange(
            src,
            code,
            sum(g.grams for g in records.generations if (g.source, g.code) == (src, code))
            - sum(h.grams for h in records.in_house if (h.source, h.code) == (src, code))
            - sum(s.declared_g for s in lines if (s.source, s.code) == (src, code)),
        )
        for src, code in keys
    )
    graph = sankey(FlowRecords(records.generations, stock, records.in_house, lines))
    assert graph.unexplained_g == 0
    assert not any(n.kind == NodeKind.UNEXPLAINED for n in graph.nodes)


def summed(lines: tuple[Shipment, ...]) -> tuple[Shipment, ...]:
    """The lines summed per source, code, carrier, receiver and method, as the cells do."""
    groups: dict[tuple[object, ...], list[Shipment]] = {}
    for line in lines:
        key = (
            line.source,
            line.code,
            line.carrier_id,
            line.receiver_id,
            line.method,
            line.method_kind,  # the catalog's, for a method; the strategy draws it apart
        )
        groups.setdefault(key, []).append(line)
    return tuple(
        ship(
            first.source,
            code=first.code,
            carrier_id=first.carrier_id,
            method=first.method,
            method_kind=first.method_kind,
            month="",
            summed=True,
            **{
                part: sum(getattr(line, part) for line in group)
                for part in ("declared_g", "in_transit_g", "refused_g", "treated_g", "awaiting_g")
            },
            appeared_g=sum(line.appeared_from_nowhere_g for line in group),
        )
        for group in groups.values()
        for first in group[:1]
    )


def test_summed_lines_keep_vanished_and_appeared_mass_apart():
    # One line lost 5 kg on the road, another gained 3 kg: summed, 5 kg still vanish and 3 kg
    # still appear; a net 2 kg would hide both.
    lost = ship(declared_g=100 * KG, treated_g=95 * KG, ref="M1")
    gained = ship(declared_g=100 * KG, treated_g=103 * KG, ref="M2")
    graph = sankey(FlowRecords(shipments=summed((lost, gained))))
    assert links(graph)[("carrier:50", "fate:unexplained")] == 5 * KG
    assert links(graph)[("source:unexplained", "carrier:50")] == 3 * KG
    assert graph == sankey(FlowRecords(shipments=(lost, gained)))


def by_sign(pairs: list[tuple[str, int]]) -> dict[str, tuple[int, int]]:
    """Per code: the sum of the positive and the sum of the negative grams."""
    signed: dict[str, tuple[int, int]] = {}
    for code, grams in pairs:
        up, down = signed.get(code, (0, 0))
        signed[code] = (up + max(grams, 0), down + min(grams, 0))
    return signed


@settings(max_examples=200, deadline=None)
@given(records_strategy, st.sampled_from(list(Level)))
def test_summed_records_give_the_same_graph_gaps_and_chain(records: FlowRecords, level: Level):
    """What the maintained cells hand over — lines summed, balances pre-split by sign, the
    largest gaps — draws the same graph and chain and lists the same largest gaps."""
    lines = tuple(
        replace(line, ref=f"M{n}", month=f"2024-{n % 12 + 1:02d}")
        for n, line in enumerate(records.shipments)
    )
    by_line = replace(records, shipments=lines)
    every_gap = gaps(by_line)
    stock = by_sign([(s.code, s.grams) for s in records.stock_changes])
    code_gaps = by_sign([(g.code, g.grams) for g in every_gap if g.stage == Stage.CODE])
    months = [
        TreatedMonth(line.source, line.month, line.treated_g) for line in lines if line.treated_g
    ] + [TreatedMonth(h.source, h.month, h.grams) for h in records.in_house]
    by_cell = FlowRecords(
        generations=records.generations,
        stock_changes=tuple(
            StockChange(A, code, grams) for code, pair in stock.items() for grams in pair
        ),
        in_house=tuple(replace(h, month="") for h in records.in_house),
        shipments=summed(lines),
        summed=True,
        code_gap_sums=tuple(CodeGapSum(code, up, -down) for code, (up, down) in code_gaps.items()),
        largest_gaps=tuple(every_gap[:2]),
        gap_count_all=len(every_gap),
        treated_months=tuple(months),
    )
    assert sankey(by_cell, level) == sankey(by_line, level)
    assert gaps(by_cell) == every_gap[:2]
    assert gap_count(by_cell) == gap_count(by_line) == len(every_gap)
    assert records_chain(by_cell, level) == records_chain(by_line, level)
