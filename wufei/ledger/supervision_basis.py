"""What a unit declares for its supervision tier (HJ 1259-2022 4.2.3).

The ledger knows the quantities generated; it cannot know since when the site operates, nor
the annual quantity documented in its environmental impact assessment or discharge permit,
which 4.2.3 uses in the first year (or for generation in cycles longer than three years).
Members of the unit declare them here; every change is audited.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.accounts.models import User
from wufei.core.audit import audit_append
from wufei.core.errors import ValidationFailed
from wufei.ledger.models import SupervisionBasis
from wufei.ledger.rules import max_record_g
from wufei.ledger.services import ledger_actor_check
from wufei.registry.models import Organisation


def supervision_basis_update(
    *,
    actor: User,
    organisation: Organisation,
    operating_since: date | None,
    declared_annual_g: int | None,
    declared_source: str = "",
    intermittent: bool = False,
) -> SupervisionBasis:
    ledger_actor_check(actor=actor, organisation=organisation)
    if operating_since is not None and operating_since > timezone.localdate():
        raise ValidationFailed(
            _("The site cannot have started operating in the future."),
            code="operating_since_future",
            field="operating_since",
        )
    if declared_annual_g is not None:
        if declared_annual_g < 0 or declared_annual_g > 1000 * max_record_g():
            raise ValidationFailed(
                _("The documented annual quantity is not plausible."),
                code="declared_implausible",
                field="declared_annual_g",
            )
        if not declared_source.strip():
            raise ValidationFailed(
                _("Name the document the quantity comes from (HJ 1259-2022 4.2.3)."),
                code="required",
                field="declared_source",
            )
    with transaction.atomic():
        basis, _created = SupervisionBasis.objects.update_or_create(
            organisation=organisation,
            defaults={
                "operating_since": operating_since,
                "declared_annual_g": declared_annual_g,
                "declared_source": declared_source.strip()[:200],
                "intermittent": intermittent,
            },
        )
        audit_append(
            actor=actor,
            organisation=organisation,
            action="ledger.supervision_basis_updated",
            subject_type="organisation",
            subject_id=organisation.uscc,
            payload={
                "operating_since": operating_since.isoformat() if operating_since else None,
                "declared_annual_g": declared_annual_g,
                "declared_source": basis.declared_source,
                "intermittent": intermittent,
            },
        )
    return basis
