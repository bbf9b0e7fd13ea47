from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """Leadership dashboard, period review, exports, JSON API and the aggregates behind them.

    An app of its own inside ``campaigns/`` so that its migrations (the aggregate table) stand
    apart from the yearly reports'.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "campaigns.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard and period reports")
