"""Human names of the engine's codes (steps, statuses, parties, document types), translated."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wufei.transfer.models import RETURN_CHOICES, STATUS_CHOICES, DocType

STEPS: dict[str, Promise] = {
    "create": _("Created"),
    "edit": _("Draft edited"),
    "sign_shipper": _("Shipper signed"),
    "cancel": _("Cancelled"),
    "sign_pickup": _("Picked up"),
    "sign_delivery": _("Delivered"),
    "accept": _("Accepted"),
    "accept_partially": _("Partially accepted"),
    "refuse": _("Refused"),
    "record_treatment": _("Treatment recorded"),
    "start_return": _("Return started"),
    "confirm_return": _("Return confirmed"),
    "request_revision": _("Revision requested"),
}
PARTIES: dict[str, Promise] = {
    "shipper": _("Shipper"),
    "carrier": _("Carrier"),
    "receiver": _("Receiver"),
}
_STATUSES = dict(STATUS_CHOICES)
_RETURNS = dict(RETURN_CHOICES)


def step_label(action: str) -> str:
    return str(STEPS.get(action, action))


def party_label(party: str) -> str:
    return str(PARTIES.get(party, party))


def status_label(status: str) -> str:
    return str(_STATUSES.get(status, status))


def return_label(status: str) -> str:
    return str(_RETURNS.get(status, status))


def doc_type_label(doc_type: str) -> str:
    return str(DocType(doc_type).label)
