"""Label pages: the producer's containers, registering new ones, downloading label PDFs.

Thin: parse, call a selector or service, render. Only members of the container's organisation
(and platform administrators) see these pages' data; printing needs a member who acts for it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from wufei.accounts.models import User
from wufei.accounts.viewer import Viewer, viewer_for
from wufei.core.errors import DomainError, NotFound, NotPermitted
from wufei.ledger.containers import container_label_printed, container_register_batch
from wufei.ledger.label_forms import (
    CONTAINER_TYPES,
    ContainerFilterForm,
    ContainerRegisterForm,
    LabelDetailsForm,
)
from wufei.ledger.label_selectors import (
    container_get_visible,
    container_list_visible,
    containers_to_print,
    label_organisations,
    waste_code_in_force,
)
from wufei.ledger.labels import label_pdf, label_pdf_batch
from wufei.ledger.models import Container

PAGE_SIZE = 50
FILTER_PARAMS = ("q", "org", "waste", "day", "seq_from", "seq_to", "code")


def label_base_url(request: HttpRequest) -> str:
    """Where QR codes point: WUFEI_PUBLIC_BASE_URL if set (labels outlive the host they were
    printed from), else this request's scheme and host."""
    configured: str = getattr(settings, "WUFEI_PUBLIC_BASE_URL", "")
    return (configured or request.build_absolute_uri("/")).rstrip("/")


def _viewer(request: HttpRequest) -> tuple[User, Viewer]:
    assert isinstance(request.user, User)  # login_required
    viewer = viewer_for(request.user)
    request._wufei_viewer = viewer  # type: ignore[attr-defined]
    return request.user, viewer


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _print(
    request: HttpRequest, user: User, containers: list[Container], name: str
) -> HttpResponse:
    try:
        container_label_printed(actor=user, containers=containers)
    except NotPermitted as exc:
        return HttpResponse(exc.message, status=403, content_type="text/plain; charset=utf-8")
    details = LabelDetailsForm(request.GET).details()
    base = label_base_url(request)
    if len(containers) == 1:
        return _pdf(label_pdf(containers[0], base_url=base, details=details), name)
    return _pdf(label_pdf_batch(containers, base_url=base, details=details), name)


@login_required
def container_list(request: HttpRequest) -> HttpResponse:
    _user, viewer = _viewer(request)
    form = ContainerFilterForm(request.GET)
    filters = form.filters(request.GET.getlist("code"))
    page = Paginator(container_list_visible(viewer=viewer, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    kept = [(k, v) for k in FILTER_PARAMS for v in request.GET.getlist(k) if v]
    return render(
        request,
        "ledger/label_list.html",
        {
            "page": page,
            "filters": {k: request.GET.get(k, "") for k in FILTER_PARAMS},
            "kept": kept,
            "querystring": urlencode(kept),
            "details_form": LabelDetailsForm(),
            "can_register": label_organisations(viewer=viewer).exists(),
        },
    )


@login_required
def container_register_page(request: HttpRequest) -> HttpResponse:
    user, viewer = _viewer(request)
    organisations = label_organisations(viewer=viewer)
    if not organisations.exists():
        raise Http404(_("You act for no organisation that could register containers."))
    form = ContainerRegisterForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            code = waste_code_in_force(code=data["waste_code"], on=data["generated_on"])
            created = container_register_batch(
                actor=user,
                organisation=data["organisation"],
                waste_code=code,
                container_type=data["container_type"],
                volume_l=data["volume_l"],
                generated_on=data["generated_on"],
                count=data["count"],
                internal_codes=[data["internal_code"]] if data["internal_code"] else [],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            query = urlencode(
                {
                    "org": data["organisation"].uscc,
                    "waste": code.code,
                    "day": data["generated_on"].isoformat(),
                    "seq_from": created[0].sequence,
                    "seq_to": created[-1].sequence,
                }
            )
            return redirect(f"{reverse('labels:container_list')}?{query}")
    return render(
        request,
        "ledger/label_register.html",
        {"form": form, "container_types": CONTAINER_TYPES},
    )


@login_required
def label_download(request: HttpRequest, code: str) -> HttpResponse:
    user, viewer = _viewer(request)
    try:
        container = container_get_visible(viewer=viewer, code=code)
    except NotFound as exc:
        raise Http404(exc.message) from None
    return _print(request, user, [container], f"{container.code}.pdf")


@login_required
def label_print(request: HttpRequest) -> HttpResponse:
    user, viewer = _viewer(request)
    filters = ContainerFilterForm(request.GET).filters(request.GET.getlist("code"))
    try:
        containers = containers_to_print(viewer=viewer, filters=filters)
    except NotFound as exc:
        raise Http404(exc.message) from None
    except DomainError as exc:
        return HttpResponse(
            exc.message, status=exc.status, content_type="text/plain; charset=utf-8"
        )
    return _print(request, user, containers, "labels.pdf")
