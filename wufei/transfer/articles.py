"""Citations of the rules the transfer engine applies, translated for messages.

A refusal names its source: the msgid is an English citation, the Chinese translation is the
title and article as published (e.g. 危险废物转移管理办法 第十八条).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ARTICLES: dict[str, Promise] = {
    "art10": _("Hazardous Waste Transfer Measures, art. 10"),
    "art10_1": _("Hazardous Waste Transfer Measures, art. 10(1)"),
    "art10_3": _("Hazardous Waste Transfer Measures, art. 10(3)"),
    "art11": _("Hazardous Waste Transfer Measures, art. 11"),
    "art12": _("Hazardous Waste Transfer Measures, art. 12"),
    "art13": _("Hazardous Waste Transfer Measures, art. 13"),
    "art15": _("Hazardous Waste Transfer Measures, art. 15"),
    "art17": _("Hazardous Waste Transfer Measures, art. 17"),
    "art18": _("Hazardous Waste Transfer Measures, art. 18"),
    "art21": _("Hazardous Waste Transfer Measures, art. 21"),
    "art27": _("Hazardous Waste Transfer Measures, art. 27"),
    "licence": _("Measures on Hazardous Waste Operating Licences"),
    "hj1276": _("HJ 1276-2022 hazardous waste identification marks"),
    "signature": _("Wufei signature rules: a party signs through its authorised members"),
}


def article(key: str) -> str:
    return str(ARTICLES[key])
