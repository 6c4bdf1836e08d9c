"""Pages of the annual bulletin. Thin: parse, call a selector or service, render or redirect.
Regulators of the region and admins see drafts (others: 404); the public page and its downloads
need no login and exist only once a bulletin is published."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from wufei.accounts.viewer import Viewer, viewer_of_request
from wufei.bulletin import bulletin_services as services
from wufei.bulletin.bulletin_content import bulletin_document
from wufei.bulletin.bulletin_docx import bulletin_docx
from wufei.bulletin.bulletin_pdf import bulletin_pdf
from wufei.bulletin.bulletin_selectors import (
    bulletin_get,
    bulletin_list_visible,
    bulletin_public_get,
)
from wufei.bulletin.inventory import inventory_region_get, inventory_regions_visible
from wufei.bulletin.models import Bulletin, BulletinStatus
from wufei.core.errors import DomainError, NotFound
from wufei.domain.bulletin_deadline import deadline_status

FORMATS = ("pdf", "docx")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _get(viewer: Viewer, pk: int) -> Bulletin:
    try:
        return bulletin_get(viewer=viewer, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _file(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def bulletin_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of_request(request)
    regions = inventory_regions_visible(viewer=viewer)
    if not (viewer.is_admin or regions):
        raise Http404("no bulletins")
    last_year = timezone.localdate().year - 1
    context = {
        "bulletins": bulletin_list_visible(viewer=viewer).order_by("-year", "region"),
        "regions": regions,
        "years": list(range(last_year, last_year - 6, -1)),
    }
    return render(request, "bulletin/bulletin_list.html", context)


@login_required
@require_POST
def bulletin_create(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of_request(request)
    year = request.POST.get("year", "")
    try:
        region = inventory_region_get(viewer=viewer, code=request.POST.get("region", ""))
        bulletin = services.bulletin_draft(
            viewer=viewer, region=region, year=int(year) if year.isdigit() else 0
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("bulletin:list")
    return redirect("bulletin:detail", pk=bulletin.pk)


@login_required
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of_request(request)
    bulletin = _get(viewer, pk)
    context = {
        "bulletin": bulletin,
        "document": bulletin_document(bulletin),
        "deadline": deadline_status(bulletin.year, timezone.localdate()),
        "may_approve": bulletin.status == BulletinStatus.IN_REVIEW
        and viewer.user_id not in (bulletin.created_by_id, bulletin.submitted_by_id),
    }
    return render(request, "bulletin/bulletin_detail.html", context)


def _act(
    request: HttpRequest, pk: int, action: Callable[[Viewer, Bulletin], object]
) -> HttpResponse:
    viewer = viewer_of_request(request)
    bulletin = _get(viewer, pk)
    try:
        action(viewer, bulletin)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("bulletin:detail", pk=pk)


@login_required
@require_POST
def bulletin_redraft(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda v, b: services.bulletin_draft(viewer=v, region=b.region, year=b.year),
    )


@login_required
@require_POST
def bulletin_sections(request: HttpRequest, pk: int) -> HttpResponse:
    intro, notes = request.POST.get("intro", ""), request.POST.get("notes", "")
    return _act(
        request,
        pk,
        lambda v, b: services.bulletin_sections_update(
            viewer=v, bulletin=b, intro=intro, notes=notes
        ),
    )


@login_required
@require_POST
def bulletin_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda v, b: services.bulletin_submit_review(viewer=v, bulletin=b))


@login_required
@require_POST
def bulletin_return(request: HttpRequest, pk: int) -> HttpResponse:
    note = request.POST.get("note", "")
    return _act(
        request, pk, lambda v, b: services.bulletin_return_to_draft(viewer=v, bulletin=b, note=note)
    )


@login_required
@require_POST
def bulletin_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda v, b: services.bulletin_approve_publish(viewer=v, bulletin=b))


@login_required
def bulletin_preview(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The document as it would be published (rendered now), for the reviewers."""
    bulletin = _get(viewer_of_request(request), pk)
    if fmt not in FORMATS:
        raise Http404("no such format")
    name = f"bulletin-{bulletin.region_id}-{bulletin.year}-preview.{fmt}"
    if fmt == "pdf":
        return _file(bulletin_pdf(bulletin), "application/pdf", name)
    return _file(bulletin_docx(bulletin), DOCX, name)


def _public(region: str, year: int) -> Bulletin:
    try:
        return bulletin_public_get(region_code=region, year=year)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def bulletin_public(request: HttpRequest, region: str, year: int) -> HttpResponse:
    bulletin = _public(region, year)
    context = {"bulletin": bulletin, "document": bulletin_document(bulletin)}
    return render(request, "bulletin/bulletin_public.html", context)


def bulletin_public_file(request: HttpRequest, region: str, year: int, fmt: str) -> HttpResponse:
    bulletin = _public(region, year)
    if fmt not in FORMATS:
        raise Http404("no such format")
    name = f"bulletin-{bulletin.region_id}-{bulletin.year}.{fmt}"
    if fmt == "pdf":
        return _file(bytes(bulletin.pdf or b""), "application/pdf", name)
    return _file(bytes(bulletin.docx or b""), DOCX, name)
