from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "wufei.registry"
    label = "registry"
