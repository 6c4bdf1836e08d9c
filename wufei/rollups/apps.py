from django.apps import AppConfig


class RollupsConfig(AppConfig):
    name = "wufei.rollups"
    label = "rollups"
    verbose_name = "Maintained aggregates"
