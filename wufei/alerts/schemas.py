"""API shapes of alerts. (No `from __future__ import annotations`: ninja reads them.)"""

from datetime import datetime

from ninja import Field, Schema


class EvidenceOut(Schema):
    kind: str
    id: str
    label: str
    url: str


class AlertActionOut(Schema):
    id: int
    kind: str
    actor: str | None
    note: str
    has_attachment: bool
    at: datetime


class AlertOut(Schema):
    id: int
    rule: str
    title: str
    source: str
    message: str
    key: str
    severity: str
    status: str
    level: int
    level_name: str
    organisation: str = Field(description="USCC")
    organisation_name: str
    facility: str | None = Field(None, description="facility code")
    region: str
    facts: dict[str, str | int]
    evidence: list[EvidenceOut]
    raised_at: datetime
    last_seen_at: datetime
    acknowledged_at: datetime | None
    closed_at: datetime | None
    close_reason: str


class AlertDetailOut(AlertOut):
    actions: list[AlertActionOut]


class AlertFilters(Schema):
    status: str = ""
    severity: str = ""
    rule: str = ""
    organisation_id: int | None = None
    region: str = Field("", description="region code prefix, e.g. 330108")


class NoteIn(Schema):
    note: str = ""
