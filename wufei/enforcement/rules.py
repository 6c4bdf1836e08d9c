"""The inspection checklist and the legal bases a case may cite, each with its checked source.

Articles were checked in /work/shared/reference/regulations/solid_waste_law_2020.txt
(《中华人民共和国固体废物污染环境防治法》2020) and HJ 1259-2022.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    title: str | Promise
    source: str


CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem(
        "ledger", _("Management ledger kept and truthful"), "固废法 第七十八条; HJ 1259-2022 5"
    ),
    ChecklistItem("plan", _("Management plan filed"), "固废法 第七十八条; HJ 1259-2022 5.2"),
    ChecklistItem(
        "filing", _("Periodic filings made on time"), "固废法 第七十八条; HJ 1259-2022 7.2"
    ),
    ChecklistItem(
        "labels", _("Identification labels on containers and sites"), "固废法 第七十七条"
    ),
    ChecklistItem(
        "segregation", _("Stored by hazard, incompatibles apart"), "固废法 第八十一条 第一款"
    ),
    ChecklistItem(
        "protection", _("Storage protection measures meet the standard"), "固废法 第八十一条 第二款"
    ),
    ChecklistItem(
        "no_mixing", _("No hazardous waste mixed into non-hazardous"), "固废法 第八十一条 第二款"
    ),
    ChecklistItem(
        "storage_period", _("Stored no longer than one year"), "固废法 第八十一条 第三款"
    ),
    ChecklistItem(
        "licensed_receiver", _("Handed only to licensed receivers"), "固废法 第八十条 第三款"
    ),
    ChecklistItem("manifests", _("Transfers under manifests"), "固废法 第八十二条"),
    ChecklistItem(
        "emergency_plan", _("Accident prevention and emergency plan filed"), "固废法 第八十五条"
    ),
)
CHECKLIST_CODES = frozenset(i.code for i in CHECKLIST)
CHECK_VALUES = ("ok", "fail", "na")


@dataclass(frozen=True)
class LegalBasis:
    key: str
    article: str  # as cited on the decision
    text: str  # the checked wording, abridged


# 固废法 第一百一十二条 第一款 items and the first paragraph's fine ranges (第二款), checked.
LEGAL_BASES: Mapping[str, LegalBasis] = {
    b.key: b
    for b in (
        LegalBasis(
            "swl_112_1_1", "固废法 第一百一十二条 第一款 第一项", "未按照规定设置危险废物识别标志的"
        ),
        LegalBasis(
            "swl_112_1_2",
            "固废法 第一百一十二条 第一款 第二项",
            "未按照国家有关规定制定危险废物管理计划或者申报危险废物有关资料的",
        ),
        LegalBasis(
            "swl_112_1_3", "固废法 第一百一十二条 第一款 第三项", "擅自倾倒、堆放危险废物的"
        ),
        LegalBasis(
            "swl_112_1_4",
            "固废法 第一百一十二条 第一款 第四项",
            "将危险废物提供或者委托给无许可证的单位或者其他生产经营者从事经营活动的",
        ),
        LegalBasis(
            "swl_112_1_5",
            "固废法 第一百一十二条 第一款 第五项",
            "未按照国家有关规定填写、运行危险废物转移联单或者未经批准擅自转移危险废物的",
        ),
        LegalBasis(
            "swl_112_1_6",
            "固废法 第一百一十二条 第一款 第六项",
            "未按照国家环境保护标准贮存、利用、处置危险废物或者将危险废物混入非危险废物中贮存的",
        ),
        LegalBasis(
            "swl_112_1_7",
            "固废法 第一百一十二条 第一款 第七项",
            "未经安全性处置，混合收集、贮存、运输、处置具有不相容性质的危险废物的",
        ),
        LegalBasis(
            "swl_112_1_12",
            "固废法 第一百一十二条 第一款 第十二项",
            "未制定危险废物意外事故防范措施和应急预案的",
        ),
        LegalBasis(
            "swl_112_1_13",
            "固废法 第一百一十二条 第一款 第十三项",
            "未按照国家有关规定建立危险废物管理台账并如实记录的",
        ),
        LegalBasis(
            "swl_114_2",
            "固废法 第一百一十四条 第二款",
            "未按照许可证规定从事收集、贮存、利用、处置危险废物经营活动的",
        ),
    )
}

# Which legal basis a failed checklist item suggests when a finding becomes a case.
ITEM_BASIS: Mapping[str, str] = {
    "ledger": "swl_112_1_13",
    "plan": "swl_112_1_2",
    "filing": "swl_112_1_2",
    "labels": "swl_112_1_1",
    "segregation": "swl_112_1_7",
    "protection": "swl_112_1_6",
    "no_mixing": "swl_112_1_6",
    "storage_period": "swl_112_1_6",
    "licensed_receiver": "swl_112_1_4",
    "manifests": "swl_112_1_5",
    "emergency_plan": "swl_112_1_12",
}
