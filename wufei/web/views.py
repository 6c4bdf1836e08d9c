"""The shell of the web interface: log-in, log-out and the role-aware home page."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wufei.accounts.viewer import viewer_for
from wufei.web.home import home_panels


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def home(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    return render(request, "web/home.html", {"panels": home_panels(viewer=viewer)})
