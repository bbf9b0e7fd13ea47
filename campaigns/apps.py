from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "campaigns"
    verbose_name = _("Campaign reports and certifications")

    def ready(self) -> None:
        # wards decides what a closed year forbids; the reporting calendar says which years are.
        from campaigns.selectors import closed_years
        from wards import closure

        closure.register_calendar(closed_years)
