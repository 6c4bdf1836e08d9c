from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "wufei.catalog"
    label = "catalog"
