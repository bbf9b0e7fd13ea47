"""WSGI entry point: ``gunicorn mytho_security.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mytho_security.settings")

application = get_wsgi_application()
