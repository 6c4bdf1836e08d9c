from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "wufei.demo"
    label = "demo"
