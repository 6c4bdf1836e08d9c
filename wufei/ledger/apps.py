from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "wufei.ledger"
    label = "ledger"
