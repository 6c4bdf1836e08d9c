"""The state machine's refusals, as translated errors naming their rule.

`wufei.domain.manifest_flow` stays free of Django and speaks English; here each of its rules
becomes a `DomainError` with the rule as its code and a translated message: who may not do
something is a 403, a step at the wrong moment a 409.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wufei.core.errors import Conflict, DomainError, NotPermitted
from wufei.domain.manifest_flow import TransitionRefused

# Keyed by the English message of the state machine (one rule can refuse for several reasons).
MESSAGES: dict[str, Promise] = {
    "a driver may sign only the transport steps": _(
        "A driver may sign only the transport steps (pick-up, delivery, return)."
    ),
    "a signed manifest is never edited: request a revision instead": _(
        "A signed manifest is never edited: request a revision instead."
    ),
    "only a draft can be signed by the shipper": _("Only a draft can be signed by the shipper."),
    "a manifest needs at least one carrier": _("A manifest needs at least one carrier."),
    "a manifest can be cancelled only before the carrier picks the waste up": _(
        "A manifest can be cancelled only before the carrier picks the waste up."
    ),
    "pick-up is signed after the shipper has signed and before delivery": _(
        "Pick-up is signed after the shipper has signed and before delivery."
    ),
    "carriers sign in their order; the previous carrier hands over first (第十七条)": _(
        "Carriers sign in their order; the previous carrier hands over first "
        "(Hazardous Waste Transfer Measures, art. 17)."
    ),
    "only waste in transit can be delivered": _("Only waste in transit can be delivered."),
    "the last carrier delivers to the receiver (第十一条)": _(
        "The last carrier delivers to the receiver (Hazardous Waste Transfer Measures, art. 11)."
    ),
    "the receiver decides after arrival (第十八条)": _(
        "The receiver decides after arrival (Hazardous Waste Transfer Measures, art. 18)."
    ),
    "treatment is recorded for accepted waste (第十二条)": _(
        "Treatment is recorded for accepted waste (Hazardous Waste Transfer Measures, art. 12)."
    ),
    "only refused waste awaiting return can be taken back": _(
        "Only refused waste awaiting return can be taken back."
    ),
    "the shipper confirms a return that is on its way back": _(
        "The shipper confirms a return that is on its way back."
    ),
    "a draft is edited directly; a cancelled manifest cannot be revised": _(
        "A draft is edited directly; a cancelled manifest cannot be revised."
    ),
}
FORBIDDING_RULES = frozenset({"party", "driver_scope"})


def refusal_error(exc: TransitionRefused) -> DomainError:
    """The DomainError for a refused transition: 403 for who, 409 for when."""
    if exc.rule == "party":
        message = str(_("Your party does not take this step."))
    else:
        message = str(MESSAGES.get(exc.message, exc.message))
    if exc.rule in FORBIDDING_RULES:
        return NotPermitted(message, code=exc.rule)
    return Conflict(message, code=exc.rule)
