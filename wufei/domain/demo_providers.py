"""The service providers of the demo district and where each waste is planned to go.

Seed 002: 滨江 has no licensed hazardous waste operator, only one small-producer collection unit
(about 5 000 t/yr: waste acids, mineral oils, organic solvents …), one household waste
incineration plant and a renovation/demolition waste recycling site designed for 7.2 万吨/年.
So hazardous waste leaves the district for licensed plants elsewhere in Hangzhou (and lead
batteries for a recycler in Anhui, which makes cross-province transfers possible), medical
waste goes to a licensed medical waste plant, and general industrial waste to utilisers.
All providers are fictional; the counties are real GB/T 2260 codes.

`ROUTES` decides the receiver and treatment method (HJ 1259 codes R/D/C) of each hazardous
and medical code; every plant's permit lists the categories or codes its routes need, and the
planner checks coverage and sizes capacities (never below the nominal one) to what arrives.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from wufei.domain.demo_district import CONSTRUCTION, GENERAL_INDUSTRIAL, HOUSEHOLD
from wufei.domain.demo_geography import CHANGHE, PUYAN, XIXING

D = Decimal

COLLECTOR = "S01"
HW_XIAOSHAN = "S02"  # incineration + physico-chemical treatment + solvent recovery
HW_LINPING = "S03"  # metal and acid recovery
HW_QIANTANG = "S04"  # waste oil regeneration
HW_FUYANG = "S05"  # secure landfill
CEMENT_JIANDE = "S06"  # cement kiln co-processing
LEAD_JIESHOU = "S07"  # lead battery recycling, Anhui
MEDICAL_PLANT = "S08"
METAL_RECYCLER = "S09"
FEED_MILL = "S10"
BRICKWORKS = "S11"
PAPER_MILL = "S12"
SORTING_CENTRE = "S13"
FOOD_WASTE_PLANT = "S14"
CONSTRUCTION_RECYCLING = "S15"
SPOIL_SITE = "S16"
CARRIERS = ("S17", "S18", "S19")


@dataclass(frozen=True)
class PermitSpec:
    kind: str
    prefix: str  # of the permit number
    issued_by: str
    capacity_t: Decimal | None  # nominal annual capacity at scale 1
    categories: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProviderSpec:
    key: str
    pattern: str  # name with {brand}
    region: str  # township in the district, else county code
    industry: tuple[str, str]  # GB/T 4754-2017
    site_kind: str | None  # FacilityKind of its plant, None for pure carriers
    site_name: str = ""
    permits: tuple[PermitSpec, ...] = ()
    capacity_t: tuple[tuple[str, Decimal], ...] = ()  # design capacity of unlicensed streams
    vehicles: int = 0  # at scale 1
    vehicle_kinds: tuple[tuple[str, Decimal], ...] = ()
    is_collector: bool = False
    is_treatment: bool = False


ZJ = "浙江省生态环境厅"
HZ = "杭州市生态环境局"
HZ_TRANSPORT = "杭州市交通运输局"
HAZMAT_VANS = (
    ("危险货物厢式运输车", D("5.000")),
    ("危险货物厢式运输车", D("8.000")),
    ("危险货物罐式运输车", D("18.000")),
    ("危险货物栏板运输车", D("10.000")),
)


def _road() -> PermitSpec:
    return PermitSpec("road_hazmat", "浙交运管许可杭字", HZ_TRANSPORT, None)


P, Permit = ProviderSpec, PermitSpec
GI = GENERAL_INDUSTRIAL

# fmt: off
PROVIDERS = (
    P(COLLECTOR, "杭州滨江{brand}环保科技有限公司", CHANGHE, ("7724", "危险废物治理"),
      "collection_point", "小微企业危险废物集中收集贮存点",
      permits=(Permit("hw_small_collection", "杭小微危废收集第", HZ, D("5000"),
                      categories=("HW06", "HW08", "HW09", "HW34", "HW35"),
                      codes=("900-041-49", "900-047-49")),
               _road()),
      vehicles=3, vehicle_kinds=(("危险货物厢式运输车", D("2.000")),
                                 ("危险货物厢式运输车", D("5.000"))),
      is_collector=True),
    P(HW_XIAOSHAN, "杭州萧山{brand}环境科技有限公司", "330109", ("7724", "危险废物治理"),
      "incineration", "危险废物焚烧及物化处理中心",
      permits=(Permit("hw_comprehensive", "浙危废经第", ZJ, D("45000"),
                      categories=("HW02", "HW03", "HW06", "HW08", "HW09", "HW12", "HW13",
                                  "HW16", "HW35", "HW49"),
                      methods=("D10", "D9", "R2")),),
      is_treatment=True),
    P(HW_LINPING, "杭州临平{brand}资源再生有限公司", "330113", ("7724", "危险废物治理"),
      "treatment", "含铜及重金属废物综合利用车间",
      permits=(Permit("hw_comprehensive", "浙危废经第", ZJ, D("30000"),
                      categories=("HW17", "HW22"),
                      codes=("398-052-31", "398-005-34", "398-006-34", "398-007-34",
                             "900-300-34", "900-353-35", "900-356-35", "900-023-29",
                             "900-044-49", "900-045-49"),
                      methods=("R4", "R6")),),
      is_treatment=True),
    P(HW_QIANTANG, "杭州钱塘{brand}油品再生科技有限公司", "330114", ("7724", "危险废物治理"),
      "treatment", "废矿物油再生装置",
      permits=(Permit("hw_comprehensive", "浙危废经第", ZJ, D("20000"),
                      categories=("HW08", "HW09"), methods=("R9", "D9")),),
      is_treatment=True),
    P(HW_FUYANG, "杭州富阳{brand}固废处置有限公司", "330111", ("7724", "危险废物治理"),
      "landfill", "危险废物安全填埋场",
      permits=(Permit("hw_comprehensive", "浙危废经第", ZJ, D("25000"),
                      categories=("HW17", "HW18"), methods=("D1",)),),
      is_treatment=True),
    P(CEMENT_JIANDE, "建德{brand}水泥有限公司", "330182", ("3011", "水泥制造"),
      "treatment", "水泥窑协同处置生产线",
      permits=(Permit("hw_comprehensive", "浙危废经第", ZJ, D("30000"),
                      codes=("772-002-18", "772-005-18", "900-210-08", "900-221-08"),
                      methods=("C1",)),),
      capacity_t=((GI, D("60000")),), is_treatment=True),
    P(LEAD_JIESHOU, "安徽{brand}再生资源有限公司", "341282", ("4210", "金属废料和碎屑加工处理"),
      "treatment", "废铅蓄电池再生利用生产线",
      permits=(Permit("hw_comprehensive", "皖危废经第", "安徽省生态环境厅", D("200000"),
                      codes=("900-052-31",), methods=("R4",)),),
      is_treatment=True),
    P(MEDICAL_PLANT, "杭州余杭{brand}医疗废物处置有限公司", "330110", ("7724", "危险废物治理"),
      "treatment", "医疗废物集中处置中心",
      permits=(Permit("medical_waste", "杭医废经第", HZ, D("36500"),
                      categories=("HW01",), methods=("D9", "D10")),
               _road()),
      vehicles=4, vehicle_kinds=(("医疗废物转运车", D("1.500")), ("医疗废物转运车", D("3.000"))),
      is_treatment=True),
    P(METAL_RECYCLER, "杭州临平{brand}再生资源有限公司", "330113",
      ("4210", "金属废料和碎屑加工处理"), "recycling", "废金属分选加工车间",
      capacity_t=((GI, D("80000")),), is_treatment=True),
    P(FEED_MILL, "杭州萧山{brand}饲料有限公司", "330109", ("1329", "其他饲料加工"),
      "treatment", "豆渣饲料化利用车间", capacity_t=((GI, D("30000")),), is_treatment=True),
    P(BRICKWORKS, "杭州富阳{brand}新型建材有限公司", "330111",
      ("3031", "粘土砖瓦及建筑砌块制造"), "treatment", "炉渣制砖生产线",
      capacity_t=((GI, D("60000")),), is_treatment=True),
    P(PAPER_MILL, "杭州富阳{brand}纸业有限公司", "330111", ("2221", "机制纸及纸板制造"),
      "treatment", "废纸制浆生产线", capacity_t=((GI, D("20000")),), is_treatment=True),
    P(SORTING_CENTRE, "杭州滨江{brand}再生资源回收有限公司", CHANGHE,
      ("5191", "再生物资回收与批发"), "recycling", "可回收物分拣中心",
      capacity_t=((HOUSEHOLD, D("100000")),), is_treatment=True),
    P(FOOD_WASTE_PLANT, "杭州萧山{brand}厨余垃圾处理有限公司", "330109",
      ("7820", "环境卫生管理"), "treatment", "厨余垃圾资源化处理厂",
      capacity_t=((HOUSEHOLD, D("200000")),), is_treatment=True),
    # Seed 002: 设计处置能力为7.2万吨（200吨/天）.
    P(CONSTRUCTION_RECYCLING, "杭州滨江{brand}建筑垃圾资源化利用有限公司", PUYAN,
      ("4220", "非金属废料和碎屑加工处理"), "recycling", "装修拆除垃圾资源利用场",
      capacity_t=((CONSTRUCTION, D("72000")),), is_treatment=True),
    P(SPOIL_SITE, "杭州钱塘{brand}渣土消纳有限公司", "330114", ("7820", "环境卫生管理"),
      "landfill", "工程渣土消纳场", capacity_t=((CONSTRUCTION, D("4000000")),),
      is_treatment=True),
    P(CARRIERS[0], "杭州滨江{brand}危险货物运输有限公司", XIXING, ("5435", "危险货物道路运输"),
      None, permits=(_road(),), vehicles=6, vehicle_kinds=HAZMAT_VANS),
    P(CARRIERS[1], "杭州萧山{brand}物流有限公司", "330109", ("5435", "危险货物道路运输"),
      None, permits=(_road(),), vehicles=5, vehicle_kinds=HAZMAT_VANS),
    P(CARRIERS[2], "杭州钱塘{brand}运输有限公司", "330114", ("5435", "危险货物道路运输"),
      None, permits=(_road(),), vehicles=4, vehicle_kinds=HAZMAT_VANS),
)
# fmt: on

# Hazardous and medical codes: the first matching rule (an exact code, else the category)
# names the plant and the HJ 1259 treatment method.
ROUTES: tuple[tuple[str, str, str], ...] = (
    ("841-001-01", MEDICAL_PLANT, "D9"),  # high-temperature steam
    ("841-002-01", MEDICAL_PLANT, "D9"),
    ("HW01", MEDICAL_PLANT, "D10"),
    ("772-002-18", HW_FUYANG, "D1"),  # fly ash, stabilised and landfilled
    ("772-005-18", CEMENT_JIANDE, "C1"),
    ("900-210-08", CEMENT_JIANDE, "C1"),
    ("900-221-08", CEMENT_JIANDE, "C1"),
    ("HW08", HW_QIANTANG, "R9"),
    ("HW09", HW_QIANTANG, "D9"),
    ("900-052-31", LEAD_JIESHOU, "R4"),
    ("398-052-31", HW_LINPING, "R4"),
    ("HW17", HW_LINPING, "R4"),
    ("HW22", HW_LINPING, "R4"),
    ("HW34", HW_LINPING, "R6"),
    ("900-356-35", HW_LINPING, "R6"),
    ("900-353-35", HW_LINPING, "R6"),
    ("900-023-29", HW_LINPING, "R4"),
    ("900-044-49", HW_LINPING, "R4"),
    ("900-045-49", HW_LINPING, "R4"),
    ("HW06", HW_XIAOSHAN, "R2"),
    ("HW02", HW_XIAOSHAN, "D10"),
    ("HW03", HW_XIAOSHAN, "D10"),
    ("HW12", HW_XIAOSHAN, "D10"),
    ("HW13", HW_XIAOSHAN, "D10"),
    ("HW16", HW_XIAOSHAN, "D10"),
    ("HW49", HW_XIAOSHAN, "D10"),
)

# What the collection unit takes from small producers (those under 10 t/yr, HJ 1259 登记管理).
COLLECTED_CATEGORIES = ("HW06", "HW08", "HW09", "HW34", "HW35")
COLLECTED_CODES = ("900-041-49", "900-047-49")
SMALL_PRODUCER_T = D("10")

GENERAL_ROUTES = {
    "SW03": (BRICKWORKS, "C2"),
    "SW07": (CEMENT_JIANDE, "C1"),
    "SW13": (FEED_MILL, "R3"),
    "SW15": (PAPER_MILL, "R3"),
    "SW17": (METAL_RECYCLER, "R4"),
    "SW59": (BRICKWORKS, "C2"),
}

# District-level streams at scale 1 (seed 002, 2023), split by class with the receiver of each
# part. The household split is an assumption of the demo; the construction split follows the
# seed (engineering spoil is 99.8 % and backfilled; the recycling site runs at about 55 t/day).
HOUSEHOLD_T = D("274200")  # 2023全区清运生活垃圾为27.42万吨
CONSTRUCTION_T = D("2923600")  # 2023年全区建筑垃圾总产生量为292.36万吨
HOUSEHOLD_SPLIT = (  # class, per-mille, receiver, method
    ("residual", 469, "power", "D10"),
    ("food", 300, FOOD_WASTE_PLANT, "R3"),
    ("recyclable", 230, SORTING_CENTRE, "R15"),
    ("hazardous", 1, HW_XIAOSHAN, "D10"),
)
CONSTRUCTION_SPLIT = (  # class, tonnes at scale 1 (spoil takes the rest), receiver, method
    ("renovation", D("16000"), CONSTRUCTION_RECYCLING, "C2"),
    ("demolition", D("3000"), CONSTRUCTION_RECYCLING, "C2"),
    ("construction", D("1100"), CONSTRUCTION_RECYCLING, "C2"),
    ("slurry", D("25000"), SPOIL_SITE, "D16"),
)


def route(code: str) -> tuple[str, str]:
    """Receiver key and treatment method for a hazardous or medical waste code."""
    category = f"HW{code[-2:]}"
    for match, receiver, method in ROUTES:
        if match in (code, category):
            return receiver, method
    raise LookupError(f"no plant in the demo district takes {code}")


def collected(code: str) -> bool:
    return code in COLLECTED_CODES or f"HW{code[-2:]}" in COLLECTED_CATEGORIES
