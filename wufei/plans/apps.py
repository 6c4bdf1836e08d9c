from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "wufei.plans"
    label = "plans"
