"""App configurations of third-party apps that need a Vietnamese name in the admin."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    # django-axes gives its app no name: the admin would show "Axes".
    verbose_name = _("Login lockout")
