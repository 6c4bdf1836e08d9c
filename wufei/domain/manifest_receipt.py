"""What the receiver finds on arrival, compared with what the manifest declares (第十八条).

危险废物转移管理办法 第十八条: when the name, quantity, characteristics, form or packaging of the
waste delivered differ from the manifest, the receiver tells the shipper, decides whether to
accept, and reports to the authority. Quantity is compared with a tolerance (weighbridges
differ); the other fields differ or they do not. The receiver's decision (accept, accept in part,
refuse) must agree with the weights it accepts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

_SEPARATORS = re.compile(r"[/,，、\s]+")
_SPACES = re.compile(r"\s+")


class Decision(StrEnum):
    ACCEPT = "accept"
    PARTIAL = "partial"
    REFUSE = "refuse"


@dataclass(frozen=True)
class LineFacts:
    """A line as declared by the shipper or as observed by the receiver."""

    name: str
    characteristics: str
    form: str
    packaging: str
    weight_g: int


@dataclass(frozen=True)
class Finding:
    field: str  # name | quantity | characteristics | form | packaging
    declared: str
    observed: str


def _text(value: str) -> str:
    return _SPACES.sub(" ", value).strip().casefold()


def _characteristics(value: str) -> frozenset[str]:
    """ "T，I", "T/I" and "I, T" are the same characteristics."""
    return frozenset(p.casefold() for p in _SEPARATORS.split(value) if p)


def weight_differs(declared_g: int, observed_g: int, tolerance: Decimal) -> bool:
    """True when |observed − declared| exceeds `tolerance` × declared (exact arithmetic)."""
    numerator, denominator = tolerance.as_integer_ratio()
    return abs(observed_g - declared_g) * denominator > numerator * declared_g


def line_findings(declared: LineFacts, observed: LineFacts, *, tolerance: Decimal) -> list[Finding]:
    """Every field in which the delivered waste differs from the line (第十八条)."""
    found = []
    if _text(declared.name) != _text(observed.name):
        found.append(Finding("name", declared.name, observed.name))
    if weight_differs(declared.weight_g, observed.weight_g, tolerance):
        found.append(Finding("quantity", str(declared.weight_g), str(observed.weight_g)))
    if _characteristics(declared.characteristics) != _characteristics(observed.characteristics):
        found.append(Finding("characteristics", declared.characteristics, observed.characteristics))
    if _text(declared.form) != _text(observed.form):
        found.append(Finding("form", declared.form, observed.form))
    if _text(declared.packaging) != _text(observed.packaging):
        found.append(Finding("packaging", declared.packaging, observed.packaging))
    return found


class DecisionInconsistent(ValueError):
    """The decision does not match the weights accepted."""


def decision_check(
    decision: Decision, received_g: Sequence[int], accepted_g: Sequence[int]
) -> None:
    """Accept takes everything received, refuse nothing, a partial acceptance some but not all."""
    if len(received_g) != len(accepted_g):
        raise DecisionInconsistent("one accepted weight per line")
    for received, accepted in zip(received_g, accepted_g, strict=True):
        if received < 0 or accepted < 0:
            raise DecisionInconsistent("weights are not negative")
        if accepted > received:
            raise DecisionInconsistent("the accepted weight cannot exceed the received weight")
    everything = all(a == r for r, a in zip(received_g, accepted_g, strict=True))
    nothing = all(a == 0 for a in accepted_g)
    if decision == Decision.ACCEPT and not everything:
        raise DecisionInconsistent("an acceptance takes the whole received weight of every line")
    if decision == Decision.REFUSE and not nothing:
        raise DecisionInconsistent("a refusal accepts nothing")
    if decision == Decision.PARTIAL and (everything or nothing):
        raise DecisionInconsistent("a partial acceptance takes some but not all of the waste")
