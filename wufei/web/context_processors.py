"""Navigation for the role-aware interface: what the signed-in user sees in the menu."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from wufei.accounts.viewer import viewer_for
from wufei.plans.selectors import plans_visible
from wufei.web.roles import roles_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"viewer": None, "viewer_roles": []}
    viewer = getattr(request, "_wufei_viewer", None)
    if viewer is None:
        viewer = viewer_for(user)
        request._wufei_viewer = viewer  # type: ignore[attr-defined]
    return {
        "viewer": viewer,
        "viewer_roles": roles_of(user=user, viewer=viewer),
        # department members see their plan too; asked only when the menu renders
        "sees_plans": lambda: plans_visible(viewer=viewer).exists(),
    }
