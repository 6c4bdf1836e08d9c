from django.apps import AppConfig


class BulletinConfig(AppConfig):
    name = "wufei.bulletin"
    label = "bulletin"
