"""Past events a person already closed as handled.

A weight difference at a receipt or a weighbridge exit without a manifest is a past event: it
does not go away, so without this the next sweep would raise it again after someone handled it.
Rules about such events skip these keys; rules about ongoing situations do not.
"""

from __future__ import annotations

from wufei.alerts.models import Alert, AlertStatus, CloseReason


def keys_closed_as_handled(code: str) -> set[str]:
    return set(
        Alert.objects.filter(
            rule=code, status=AlertStatus.CLOSED, close_reason=CloseReason.HANDLED
        ).values_list("key", flat=True)
    )
