from django.apps import AppConfig


class FlowsConfig(AppConfig):
    name = "wufei.flows"
    label = "flows"
