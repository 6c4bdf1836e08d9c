"""The page a container's QR code opens: public facts for anyone, the full history for parties.

No login needed; phone-first layout. Who sees what is decided in `scan_selectors`.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wufei.accounts.viewer import viewer_for
from wufei.core.errors import NotFound
from wufei.ledger.label_selectors import label_organisations
from wufei.ledger.scan_selectors import (
    container_get_by_code,
    container_history,
    container_public_facts,
    container_viewer_is_party,
)


@require_GET
def container_scan(request: HttpRequest, code: str) -> HttpResponse:
    try:
        container = container_get_by_code(code=code)
    except NotFound as exc:
        raise Http404(exc.message) from None
    viewer = viewer_for(request.user)
    if viewer.is_authenticated:
        request._wufei_viewer = viewer  # type: ignore[attr-defined]
    party = container_viewer_is_party(viewer=viewer, container=container)
    history = container_history(viewer=viewer, container=container) if party else None
    can_print = (
        label_organisations(viewer=viewer).filter(pk=container.organisation_id).exists()
        if viewer.is_authenticated
        else False
    )
    response = render(
        request,
        "ledger/scan.html",
        {
            "container": container,
            "facts": container_public_facts(container),
            "history": history,
            "can_print": can_print,
        },
    )
    response["Cache-Control"] = "private, no-store"  # the page differs by who asks
    return response
