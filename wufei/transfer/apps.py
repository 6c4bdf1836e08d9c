from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "wufei.transfer"
    label = "transfer"
