from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "wufei.alerts"
    label = "alerts"
