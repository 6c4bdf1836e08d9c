"""WSGI entry point (gunicorn wufei.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wufei.settings.prod")
application = get_wsgi_application()
