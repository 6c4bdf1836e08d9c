from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "wufei.indicators"
    label = "indicators"
