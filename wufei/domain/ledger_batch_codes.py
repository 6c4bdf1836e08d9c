"""Batch codes of the management ledger (HJ 1259-2022 appendix B, notes to tables B.1–B.5).

The standard suggests the initials of the step, the date and a running number, e.g.
HWCS20211031001 (产生), HWRK… (入库), HWCK… (出库), HWZXLY/HWZXCZ… (自行利用/自行处置),
HWWWLY/HWWWCZ… (委外利用/委外处置), HWCKLY/HWCKCZ… (出口利用/出口处置). Receipts at a receiving
facility have no table in HJ 1259; they use HWJS (接收) in the same pattern. The running number
has three digits and simply grows past 999 on a very busy day rather than failing.
"""

from __future__ import annotations

import re
from datetime import date

# Event kinds as plain strings, so that this module needs no Django.
GENERATE = "generate"
STORE_IN = "store_in"
STORE_OUT = "store_out"
TREAT_IN_HOUSE = "treat_in_house"
HAND_OVER = "hand_over"
RECEIVE = "receive"

UTILISATION = "utilisation"
DISPOSAL = "disposal"

_FIXED_PREFIX = {
    GENERATE: "HWCS",
    STORE_IN: "HWRK",
    STORE_OUT: "HWCK",
    RECEIVE: "HWJS",
}
_TREATMENT_PREFIX = {
    # (kind, utilisation?) → prefix; disposal and "other" methods count as disposal.
    (TREAT_IN_HOUSE, True): "HWZXLY",
    (TREAT_IN_HOUSE, False): "HWZXCZ",
    (HAND_OVER, True): "HWWWLY",
    (HAND_OVER, False): "HWWWCZ",
}
EXPORT_PREFIX = {True: "HWCKLY", False: "HWCKCZ"}
BATCH_CODE = re.compile(r"^(HW[A-Z]{2,4})(\d{8})(\d{3,})$")


def batch_prefix(kind: str, *, treatment_kind: str = "", export: bool = False) -> str:
    """The initials for an event of `kind`; treatment and hand-over depend on the method kind."""
    if kind in _FIXED_PREFIX:
        return _FIXED_PREFIX[kind]
    utilisation = treatment_kind == UTILISATION
    if kind == HAND_OVER and export:
        return EXPORT_PREFIX[utilisation]
    try:
        return _TREATMENT_PREFIX[(kind, utilisation)]
    except KeyError:
        raise ValueError(f"no batch code prefix for kind {kind!r}") from None


def batch_code_format(prefix: str, day: date, sequence: int) -> str:
    """HWCS + 20211031 + 001."""
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    return f"{prefix}{day:%Y%m%d}{sequence:03d}"


def batch_code_parse(code: str) -> tuple[str, date, int] | None:
    """(prefix, day, sequence) of a code in the suggested pattern, None for any other code."""
    match = BATCH_CODE.match(code)
    if not match:
        return None
    digits = match.group(2)
    try:
        day = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None
    return match.group(1), day, int(match.group(3))
