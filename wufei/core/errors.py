"""Errors a service raises when it refuses something.

Each carries a machine-readable `code`, a human `message` (translated), the `field` it is about
if any, and the HTTP status an API answers with. Where a regulation is the reason, the message
names the article.
"""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    default_code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "field": self.field}


class ValidationFailed(DomainError):
    status = 400
    default_code = "invalid"


class NotPermitted(DomainError):
    status = 403
    default_code = "forbidden"


class NotFound(DomainError):
    status = 404
    default_code = "not_found"


class Conflict(DomainError):
    status = 409
    default_code = "conflict"
