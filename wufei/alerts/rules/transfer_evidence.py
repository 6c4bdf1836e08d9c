"""Evidence links and threshold reading shared by `transfer_rules` and `permit_rules`."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from django.urls import reverse

from wufei.alerts.rulebook import Evidence


def int_threshold(
    thresholds: Mapping[str, int | str], defaults: Mapping[str, int | str], name: str
) -> int:
    """A whole-number threshold; the rule's default when the configured value is not one."""
    value = thresholds.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return int(defaults[name])


def manifest_evidence(number: str) -> Evidence:
    return Evidence(
        kind="manifest",
        id=number,
        label=number,
        url=reverse("transfer:manifest_detail", kwargs={"number": number}),
    )


def organisation_evidence(uscc: str, name: str) -> Evidence:
    return Evidence(
        kind="organisation",
        id=uscc,
        label=name,
        url=reverse("registry:organisation_detail", kwargs={"uscc": uscc}),
    )


def permit_evidence(pk: int, number: str) -> Evidence:
    """Permits have no page of their own: link the permit list searched by number."""
    return Evidence(
        kind="permit",
        id=str(pk),
        label=number,
        url=f"{reverse('registry:permit_list')}?{urlencode({'q': number})}",
    )


def approval_evidence(pk: int, number: str) -> Evidence:
    """Approvals are shown in the API and on their manifests; there is no page to link."""
    return Evidence(kind="approval", id=str(pk), label=number, url="")
