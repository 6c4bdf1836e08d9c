from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wufei.accounts"
    label = "accounts"
