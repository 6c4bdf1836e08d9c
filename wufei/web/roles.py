"""The roles a user holds in the interface, derived from memberships and scopes.

A user can hold several (a treatment company that also carries). Roles only shape the
interface; every permission is still checked by the selectors and services.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wufei.accounts.models import User
from wufei.accounts.viewer import Viewer
from wufei.registry.models import Organisation


@dataclass(frozen=True)
class InterfaceRole:
    key: str
    label: str | Promise


ADMIN = InterfaceRole("admin", _("Platform administrator"))
REGULATOR = InterfaceRole("regulator", _("Regulator"))
PRODUCER = InterfaceRole("producer", _("Waste producer"))
CARRIER = InterfaceRole("carrier", _("Carrier"))
COLLECTOR = InterfaceRole("collector", _("Collector"))
RECEIVER = InterfaceRole("receiver", _("Utilisation/disposal facility"))


def roles_of(*, user: User, viewer: Viewer) -> list[InterfaceRole]:
    roles: list[InterfaceRole] = []
    if user.is_superuser:
        roles.append(ADMIN)
    if viewer.is_regulator:
        roles.append(REGULATOR)
    if viewer.memberships:
        flags = Organisation.objects.filter(pk__in=viewer.organisation_ids).values(
            "is_producer", "is_carrier", "is_collector", "is_treatment"
        )
        held = {k for row in flags for k, v in row.items() if v}
        for flag, role in (
            ("is_producer", PRODUCER),
            ("is_carrier", CARRIER),
            ("is_collector", COLLECTOR),
            ("is_treatment", RECEIVER),
        ):
            if flag in held:
                roles.append(role)
    return roles
