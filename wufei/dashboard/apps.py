from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "wufei.dashboard"
    label = "dashboard"
