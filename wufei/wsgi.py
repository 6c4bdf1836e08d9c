"""WSGI entry point (gunicorn wufei.wsgi; `wufei runserver` loads it too)."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wufei.settings.prod")
application = get_wsgi_application()

from wufei.alerts.schedule import alerts_schedule_in_process  # noqa: E402  (needs Django set up)

alerts_schedule_in_process(interval_s=settings.WUFEI_ALERT_SWEEP_SECONDS)
