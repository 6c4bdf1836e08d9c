"""Alert pages: the list with filters, the detail with its timeline and workflow forms, and
the rules with their sources and thresholds. Thin: parse, call a selector or service, render.
An alert the viewer may not see is a 404; a refused step shows the service's message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wufei.accounts.models import User
from wufei.accounts.viewer import Viewer, viewer_for
from wufei.alerts import selectors, services
from wufei.alerts.engine import rules_loaded
from wufei.alerts.forms import AlertFilterForm, NoteForm, ThresholdForm
from wufei.alerts.models import Alert, EscalationLevel
from wufei.alerts.presenters import alert_text, evidence_links
from wufei.core.errors import DomainError, NotFound

PAGE_SIZE = 50
ACTIONS = ("acknowledge", "note", "escalate", "close")


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required
    return request.user


def _viewer(request: HttpRequest) -> Viewer:
    viewer = viewer_for(_user(request))
    request._wufei_viewer = viewer  # type: ignore[attr-defined]
    return viewer


def _alert(viewer: Viewer, pk: int) -> Alert:
    try:
        return selectors.alert_get_visible(viewer=viewer, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from None


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    organisations = selectors.alert_organisations_visible(viewer=viewer)
    rules = [(code, str(rule.title)) for code, rule in sorted(rules_loaded().items())]
    form = AlertFilterForm(request.GET or None, rules=rules, organisations=organisations)
    filters = form.cleaned_data if form.is_valid() else {}
    alerts = selectors.alert_list_visible(
        viewer=viewer,
        status=filters.get("status") or None,
        severity=filters.get("severity") or None,
        rule=filters.get("rule") or None,
        organisation_id=filters.get("organisation"),
    )
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "alerts/alert_list.html",
        {
            "form": form,
            "page": page,
            "rows": [(alert, alert_text(alert)) for alert in page.object_list],
            "counts": selectors.alert_counts_by_severity(viewer=viewer),
            "querystring": params.urlencode(),
        },
    )


@login_required
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    alert = _alert(viewer, pk)
    refusal = selectors.alert_refusal(viewer=viewer, alert=alert)
    return render(
        request,
        "alerts/alert_detail.html",
        {
            "alert": alert,
            "text": alert_text(alert),
            "evidence": evidence_links(alert),
            "actions": selectors.alert_actions(alert=alert),
            "allowed": selectors.alert_allowed_actions(viewer=viewer, alert=alert),
            "refusal": services.refusal_message(refusal) if refusal else "",
            "note_form": NoteForm(),
            "top_level": alert.level >= EscalationLevel.REGULATOR,
        },
    )


@login_required
@require_POST
def alert_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    viewer = _viewer(request)
    _alert(viewer, pk)  # 404 before anything else
    if action not in ACTIONS:
        raise Http404
    actor = _user(request)
    form = NoteForm(request.POST, request.FILES)
    note = request.POST.get("note", "")
    attachment = request.FILES.get("attachment") if form.is_valid() else None
    done = {
        "acknowledge": _("Alert acknowledged."),
        "note": _("Note added."),
        "escalate": _("Alert escalated."),
        "close": _("Alert closed."),
    }
    try:
        if action == "acknowledge":
            services.alert_acknowledge(actor=actor, alert_id=pk, note=note)
        elif action == "note":
            services.alert_note_add(actor=actor, alert_id=pk, note=note, attachment=attachment)
        elif action == "escalate":
            services.alert_escalate(actor=actor, alert_id=pk, note=note)
        else:
            services.alert_close(actor=actor, alert_id=pk, note=note)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done[action])
    return redirect("alerts:detail", pk=pk)


@login_required
def action_attachment(request: HttpRequest, pk: int, action_pk: int) -> FileResponse:
    try:
        action = selectors.alert_action_get_visible(
            viewer=_viewer(request), alert_pk=pk, pk=action_pk
        )
    except NotFound as exc:
        raise Http404(exc.message) from None
    if not action.attachment:
        raise Http404
    return FileResponse(
        action.attachment.open("rb"),
        as_attachment=True,
        filename=action.attachment.name.rsplit("/", 1)[-1],
    )


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _viewer(request)
    rows = selectors.rule_rows()
    forms = {}
    if user.is_superuser:
        for row in rows:
            initial = {"enabled": row.enabled, **row.thresholds}
            bound = request.POST if request.POST.get("rule") == row.rule.code else None
            forms[row.rule.code] = ThresholdForm(bound, defaults=row.rule.defaults, initial=initial)
    if request.method == "POST":
        if not user.is_superuser:
            raise Http404
        code = request.POST.get("rule", "")
        form = forms.get(code)
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.rule_setting_update(
                    actor=user,
                    rule_code=code,
                    enabled=form.cleaned_data["enabled"],
                    thresholds=form.thresholds(),
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Rule settings saved."))
                return redirect("alerts:rules")
    return render(
        request,
        "alerts/rule_list.html",
        {"rows": [(row, forms.get(row.rule.code)) for row in rows], "can_edit": user.is_superuser},
    )
