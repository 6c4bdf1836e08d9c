"""What the bulletin document says, in Chinese (the language of the regulation), whatever the
reader's interface language: headings, paragraphs, tables and the bars of each stream's chart.
Both the DOCX and the PDF are rendered from this one structure, so they print the same figures."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone, translation

from wufei.bulletin.models import Bulletin
from wufei.domain import bulletin_snapshot as bs
from wufei.domain.ledger_units import tonnes_text
from wufei.registry.models import FacilityKind, PermitKind

MEASURE_TITLES = {
    "generated": "产生量",
    "utilised": "利用量",
    "disposed": "处置量",
    "stored": "贮存量",
}
SOURCE_TITLES = {"ledger": "危险废物管理台账", "entered": "统计填报"}
MISSING = "未填报"
LAW = "《中华人民共和国固体废物污染环境防治法》第二十九条"


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    table: Table | None = None
    chart: list[tuple[str, int]] = field(default_factory=list)  # (label, grams)


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    sections: list[Section]
    footer: str


def _t(grams: int | None) -> str:
    return MISSING if grams is None else tonnes_text(grams)


def _with_unit(grams: int | None) -> str:
    return MISSING if grams is None else f"{tonnes_text(grams)}吨"


def _label(choices: type[PermitKind] | type[FacilityKind], key: str) -> str:
    with translation.override("zh-hans"):
        return str(choices(key).label) if key in choices.values else key


def _stream_section(number: int, line: bs.StreamLine) -> Section:
    measures = [m for m in bs.MEASURES if not (m == "stored" and line.stored is None)]
    sentence = "；".join(f"{MEASURE_TITLES[m]}{_with_unit(line.value(m))}" for m in measures)
    return Section(
        heading=f"（{number}）{line.title}",
        paragraphs=[f"{sentence}。数据来源：{SOURCE_TITLES.get(line.source, line.source)}。"],
        table=Table(
            ["项目", "数量（吨）"], [[MEASURE_TITLES[m], _t(line.value(m))] for m in measures]
        ),
        chart=[(MEASURE_TITLES[m], v) for m, v in bs.chart_values(line)],
    )


def _summary_table(snapshot: bs.Snapshot) -> Table:
    return Table(
        ["类别", *MEASURE_TITLES.values(), "数据来源"],
        [
            [
                s.title,
                *(_t(s.value(m)) for m in bs.MEASURES),
                SOURCE_TITLES.get(s.source, s.source),
            ]
            for s in snapshot.streams
        ],
    )


def _capacity_table(snapshot: bs.Snapshot) -> Table:
    rows = [[_label(PermitKind, k), tonnes_text(g)] for k, g in snapshot.capacities_g.items()]
    rows.append(["合计", tonnes_text(snapshot.capacity_total_g)])
    return Table(["许可证类别", "核准经营规模（吨/年）"], rows)


def _facility_table(snapshot: bs.Snapshot) -> Table:
    rows = [[_label(FacilityKind, k), str(n)] for k, n in snapshot.facilities.items()]
    rows.append(["合计", str(snapshot.facility_total)])
    return Table(["设施类型", "数量（个）"], rows)


def bulletin_document(bulletin: Bulletin) -> Document:
    snapshot = bs.snapshot_from_json(bulletin.figures)
    region = bulletin.region.name
    intro = str(bulletin.sections.get("intro") or "") or (
        f"根据{LAW}，现将{region}{bulletin.year}年固体废物的种类、产生量、处置能力、"
        "利用处置状况等信息公告如下。"
    )
    streams = [_stream_section(i, line) for i, line in enumerate(snapshot.streams, start=1)]
    notes = str(bulletin.sections.get("notes") or "")
    sections = [
        Section("前言", [intro]),
        Section("一、固体废物产生、利用、处置及贮存情况", table=_summary_table(snapshot)),
        *streams,
        Section(
            "二、危险废物利用处置能力",
            [f"截至{bulletin.year}年12月31日有效的危险废物经营许可证核准经营规模。"],
            table=_capacity_table(snapshot),
        ),
        Section("三、固体废物设施", table=_facility_table(snapshot)),
        Section(
            "四、说明",
            [
                "数量单位为吨，保留三位小数；“未填报”表示无人填报该数据，不等于零。",
                *([notes] if notes else []),
            ],
        ),
    ]
    when = bulletin.published_at or timezone.now()
    on = timezone.localdate(when)
    return Document(
        title=f"{region}{bulletin.year}年固体废物污染环境防治信息公告",
        subtitle=f"{region}（{bulletin.region_id}） · {on.year}年{on.month}月{on.day}日",
        sections=sections,
        footer=f"{region}{bulletin.year}年固体废物污染环境防治信息公告",
    )
