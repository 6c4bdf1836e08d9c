"""A rule that fails: its name, the article it comes from, and a message naming both.

`ManifestInvalid` carries every failure of a manifest at once (the API answers them as
`errors`, each with its rule and article).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from wufei.core.errors import ValidationFailed
from wufei.transfer.articles import article

# Manifests whose weight counts against a permit's capacity or an approval's quantity: signed
# and not cancelled or refused (the refused waste goes back to the shipper).
COUNTING_STATUSES = ("ready", "in_transit", "arrived", "accepted", "partially_accepted", "treated")


@dataclass(frozen=True)
class RuleFailure:
    rule: str
    article: str
    message: str
    field: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "article": self.article,
            "message": self.message,
            "field": self.field,
        }


class ManifestInvalid(ValidationFailed):
    """The manifest breaks one or more rules; `failures` lists each with its article."""

    def __init__(self, failures: list[RuleFailure]) -> None:
        summary = _("The manifest cannot be signed: %(count)d rule(s) not met.") % {
            "count": len(failures)
        }
        super().__init__(
            " ".join([summary, *(f.message for f in failures)]), code="manifest_invalid"
        )
        self.failures = failures

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "errors": [f.as_dict() for f in self.failures]}


def failure(rule: str, source: str, message: str, field: str | None = None) -> RuleFailure:
    cited = article(source)
    text = _("%(message)s (%(article)s)") % {"message": message, "article": cited}
    return RuleFailure(rule=rule, article=cited, message=text, field=field)
