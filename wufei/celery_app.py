"""`celery -A wufei.celery_app worker --beat`: the optional Celery worker (see
wufei/alerts/celery_tasks.py). Needs WUFEI_CELERY_BROKER_URL and the `celery` extra."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wufei.settings.prod")
django.setup()

from wufei.alerts.celery_tasks import celery_app_build, celery_broker_url  # noqa: E402

_broker = celery_broker_url()
if _broker is None:
    raise RuntimeError("Set WUFEI_CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0).")
app = celery_app_build(
    broker_url=_broker,
    sweep_seconds=float(os.environ.get("WUFEI_CELERY_SWEEP_SECONDS", "300")),
)
