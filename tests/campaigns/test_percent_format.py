"""One percent format across the app: a true minus sign, a decimal comma, no space (−12,5%)."""

from decimal import Decimal

from django.utils import translation

from campaigns.checks import _format_percent
from campaigns.templatetags.campaign_tags import pct


def test_report_change_and_check_message_share_one_format():
    with translation.override("vi"):
        assert pct(Decimal("-12.5")) == "−12,5%"
        assert pct(Decimal("12.5")) == "+12,5%"
        assert _format_percent(Decimal("-12.5")) == "−12,5"
        assert _format_percent(Decimal("12.5")) == "+12,5"
        assert " %" not in pct(Decimal(3))
