from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationsConfig(AppConfig):
    """Safety certifications, movement classification and awards (issue 4).

    A Django app of its own inside ``campaigns/`` so that its migrations stand apart from the
    yearly reports'.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "campaigns.certifications"
    label = "certifications"
    verbose_name = _("Certifications and awards")
