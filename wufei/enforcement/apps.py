from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "wufei.enforcement"
    label = "enforcement"
