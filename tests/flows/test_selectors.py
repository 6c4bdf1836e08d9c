"""Flows read from the spine close on a constructed network, show withheld records as
unexplained by exactly their weight, and are seen only by those who may."""

from __future__ import annotations

from tests.flows.world import period
from tests.transfer.network import KG, lifecycle
from wufei.accounts.viewer import viewer_for
from wufei.domain.material_flows import Level, imbalances
from wufei.flows.selectors import flow_chain, flow_query_parse, flow_report
from wufei.transfer.models import ManifestLine


def links(graph):
    return {(link.source, link.target): link.grams for link in graph.links}


def test_a_treated_manifest_closes_with_no_unexplained_mass(fw):
    lifecycle(fw)  # 250 kg of the 300 kg generated, incinerated (D10)
    report = flow_report(viewer=viewer_for(fw.alice), query=period(level=Level.ENTERPRISE))
    carrier = f"carrier:{fw.carrier.pk}"
    assert links(report.graph) == {
        (f"source:enterprise:{fw.shipper.pk}", "code:900-249-08"): 300 * KG,
        ("code:900-249-08", "fate:stored"): 50 * KG,
        ("code:900-249-08", carrier): 250 * KG,
        (carrier, "method:D10"): 250 * KG,
        ("method:D10", "fate:disposed"): 250 * KG,
    }
    assert report.graph.unexplained_g == 0
    assert report.gaps == []
    assert imbalances(report.graph) == {}


def test_a_withheld_treatment_record_is_unexplained_by_exactly_its_weight(fw):
    manifest = lifecycle(fw)
    ManifestLine.objects.filter(manifest=manifest).update(treated_weight_g=None)
    report = flow_report(viewer=viewer_for(fw.reg108), query=period(level=Level.ENTERPRISE))
    assert links(report.graph)[(f"carrier:{fw.carrier.pk}", "fate:unexplained")] == 250 * KG
    assert report.graph.unexplained_g == 250 * KG
    assert [(g.ref, g.grams) for g in report.gaps] == [(manifest.number, 250 * KG)]
    assert imbalances(report.graph) == {}


def test_a_lost_kilogram_on_the_road_is_unexplained(fw):
    manifest = lifecycle(fw)
    ManifestLine.objects.filter(manifest=manifest).update(
        received_weight_g=249 * KG, accepted_weight_g=249 * KG, treated_weight_g=249 * KG
    )
    report = flow_report(viewer=viewer_for(fw.alice), query=period())
    assert report.graph.unexplained_g == 1 * KG


def test_waste_on_the_way_or_awaiting_treatment_is_explained(fw):
    lifecycle(fw, until="pickup")
    report = flow_report(viewer=viewer_for(fw.alice), query=period())
    assert links(report.graph)[(f"carrier:{fw.carrier.pk}", "fate:in_transit")] == 250 * KG
    assert report.graph.unexplained_g == 0
    fw2_manifest = lifecycle(fw, until="receive", containers=[], weight_g=50 * KG)
    assert fw2_manifest.status == "accepted"
    report = flow_report(viewer=viewer_for(fw.alice), query=period())
    assert links(report.graph)[(f"carrier:{fw.carrier.pk}", "fate:awaiting")] == 50 * KG
    assert report.graph.unexplained_g == 0


def test_a_regulator_sees_its_region_and_not_another(fw):
    lifecycle(fw)
    mine = flow_report(viewer=viewer_for(fw.reg108), query=period(level=Level.ENTERPRISE))
    sources = {n.id for n in mine.graph.nodes if n.kind == "source"}
    assert sources == {f"source:enterprise:{fw.shipper.pk}", f"source:enterprise:{fw.second.pk}"}
    # 萧山 holds the receiving plant but no source; 江苏 nothing at all.
    for other in (fw.reg109, fw.reg_js):
        assert flow_report(viewer=viewer_for(other), query=period()).graph.links == ()
    # A region filter cannot widen what a regulator sees.
    wider = flow_report(viewer=viewer_for(fw.reg109), query=period(region="33"))
    assert wider.graph.links == ()


def test_an_enterprise_sees_only_its_own_waste(fw):
    lifecycle(fw)
    for user, org in ((fw.alice, fw.shipper), (fw.bob, fw.second)):
        report = flow_report(viewer=viewer_for(user), query=period(level=Level.ENTERPRISE))
        sources = {n.id for n in report.graph.nodes if n.kind == "source"}
        assert sources == {f"source:enterprise:{org.pk}"}
    # The carrier, the receiving plant and a stranger have no waste of their own here.
    for user in (fw.kate, fw.rita, fw.nobody):
        assert flow_report(viewer=viewer_for(user), query=period()).graph.links == ()


def test_grouping_by_industry_and_park(fw):
    lifecycle(fw)
    by_industry = flow_report(viewer=viewer_for(fw.reg108), query=period())
    labels = {n.id: n.label for n in by_industry.graph.nodes if n.kind == "source"}
    assert labels == {
        "source:industry:2614": "2614 有机化学原料制造",
        "source:industry:3360": "3360 金属表面处理及热处理加工",
    }
    by_park = flow_report(viewer=viewer_for(fw.reg108), query=period(level=Level.PARK))
    assert links(by_park.graph)[(f"source:park:{fw.park.pk}", "code:900-249-08")] == 300 * KG
    assert links(by_park.graph)[("source:park:", "code:900-041-49")] == 40 * KG
    only_park = flow_report(viewer=viewer_for(fw.reg108), query=period(park=fw.park.pk))
    assert {n.id for n in only_park.graph.nodes if n.kind == "source"} == {"source:industry:2614"}


def test_the_industry_chain_follows_treated_waste_to_the_plant(fw):
    lifecycle(fw)
    chain = flow_chain(viewer=viewer_for(fw.reg108), query=period())
    assert [(c.source_key, c.receiver_id, c.method, c.grams) for c in chain.links] == [
        ("industry:2614", fw.plant.pk, "D10", 250 * KG)
    ]
    assert sum(sum(m.values()) for m in chain.series.values()) == 250 * KG


def test_other_streams_and_periods_are_separate(fw):
    lifecycle(fw)
    medical = flow_report(viewer=viewer_for(fw.alice), query=period(stream="medical"))
    assert medical.graph.links == ()
    last_year = flow_query_parse(year="2001")
    assert flow_report(viewer=viewer_for(fw.alice), query=last_year).graph.links == ()
