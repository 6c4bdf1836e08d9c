"""Container endpoints under /api/v1/containers/. Thin: parse, call a selector or service, answer.

`GET /{code}` answers what the scan page shows the caller: the public facts for anyone signed
in, plus the history for a party to the container (`wufei.ledger.scan_selectors`). Registering
and label PDFs are for those who act for the container's organisation. (No `from __future__
import annotations`: django-ninja reads the annotations at runtime.)
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from wufei.accounts.models import User
from wufei.accounts.viewer import Viewer, viewer_for
from wufei.core.errors import NotFound
from wufei.ledger.containers import container_label_printed, container_register_batch
from wufei.ledger.label_selectors import (
    container_get_visible,
    label_organisations,
    waste_code_in_force,
)
from wufei.ledger.label_views import label_base_url
from wufei.ledger.labels import label_pdf
from wufei.ledger.models import Container
from wufei.ledger.scan_selectors import (
    ContainerHistory,
    container_get_by_code,
    container_history,
    container_public_facts,
    container_viewer_is_party,
)

router = Router()


class HazardOut(Schema):
    code: str
    name: str


class StepOut(Schema):
    at: datetime
    what: str
    who: str
    where: str
    weight_g: int | None
    details: dict[str, str]


class TripOut(Schema):
    manifest_number: str
    status: str
    shipper: str
    carriers: list[str]
    receiver: str
    weight_g: int
    treatment_method: str | None


class ContainerOut(Schema):
    code: str
    producer: str
    region: str
    category_code: str
    category_name: str
    waste_code: str
    hazard_characteristics: list[HazardOut]
    generated_on: date
    full: bool  # False: the public view
    container_type: str | None = None
    volume_l: Decimal | None = None
    internal_code: str | None = None
    label_printed_at: datetime | None = None
    history: list[StepOut] | None = None
    manifests: list[TripOut] | None = None


class ContainerIn(Schema):
    organisation_uscc: str
    waste_code: str
    container_type: str
    volume_l: Decimal
    generated_on: date
    count: int = 1
    internal_code: str = ""


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # the global auth guarantees a signed-in user
    return request.user


def _full(container: Container, history: ContainerHistory) -> dict[str, Any]:
    return {
        "container_type": container.container_type,
        "volume_l": container.volume_l,
        "internal_code": container.internal_code,
        "label_printed_at": container.label_printed_at,
        "history": [
            {
                "at": s.at,
                "what": s.what,
                "who": s.who,
                "where": s.where,
                "weight_g": s.grams,
                "details": dict(s.details),
            }
            for s in history.steps
        ],
        "manifests": [
            {
                "manifest_number": t.manifest.number,
                "status": t.manifest.status,
                "shipper": t.manifest.shipper.name,
                "carriers": [c.carrier.name for c in t.carriers],
                "receiver": t.manifest.receiver.name,
                "weight_g": t.line.weight_g,
                "treatment_method": t.line.treatment_method.code
                if t.line.treatment_method
                else None,
            }
            for t in history.trips
        ],
    }


def _container_out(viewer: Viewer, container: Container) -> dict[str, Any]:
    facts = container_public_facts(container)
    party = container_viewer_is_party(viewer=viewer, container=container)
    out: dict[str, Any] = {
        "code": facts.code,
        "producer": facts.producer,
        "region": facts.region,
        "category_code": facts.category_code,
        "category_name": facts.category_name,
        "waste_code": facts.waste_code,
        "hazard_characteristics": [{"code": c, "name": n} for c, n in facts.characteristics],
        "generated_on": facts.generated_on,
        "full": party,
    }
    if party:
        out.update(_full(container, container_history(viewer=viewer, container=container)))
    return out


@router.get("/{code}", response=ContainerOut, summary="What scanning a container shows you")
def get_container(request: HttpRequest, code: str) -> dict[str, Any]:
    return _container_out(viewer_for(_user(request)), container_get_by_code(code=code))


@router.get("/{code}/label.pdf", summary="The container's HJ 1276 label (PDF)")
def get_label(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    container = container_get_visible(viewer=viewer_for(user), code=code)
    container_label_printed(actor=user, containers=[container])
    response = HttpResponse(
        label_pdf(container, base_url=label_base_url(request)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{container.code}.pdf"'
    return response


@router.post("/", response={201: list[ContainerOut]}, summary="Register containers")
def register_containers(request: HttpRequest, payload: ContainerIn) -> Status[list[dict[str, Any]]]:
    """`count` identical containers, each with the next digital identification code."""
    user = _user(request)
    viewer = viewer_for(user)
    organisation = (
        label_organisations(viewer=viewer).filter(uscc=payload.organisation_uscc.upper()).first()
    )
    if organisation is None:
        raise NotFound(
            _("No organisation with code %(uscc)s that you act for.")
            % {"uscc": payload.organisation_uscc},
            field="organisation_uscc",
        )
    created = container_register_batch(
        actor=user,
        organisation=organisation,
        waste_code=waste_code_in_force(code=payload.waste_code, on=payload.generated_on),
        container_type=payload.container_type,
        volume_l=payload.volume_l,
        generated_on=payload.generated_on,
        count=payload.count,
        internal_codes=[payload.internal_code] if payload.internal_code else [],
    )
    fresh = [container_get_by_code(code=c.code) for c in created]  # with related rows loaded
    return Status(201, [_container_out(viewer, c) for c in fresh])
