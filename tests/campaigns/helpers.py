"""Small helpers shared by the campaigns tests."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from campaigns import services
from campaigns.checks import Entry
from campaigns.models import Indicator


def save_values(period, unit, user, catalogue, version=0, **values):
    """The unit's report saved through the service, with ``values`` by indicator code."""
    entries = {catalogue[k].pk: Entry(Decimal(v)) for k, v in values.items()}
    return services.report_save_values(
        period=period, unit=unit, user=user, entries=entries, expected_version=version
    ).report


def submit_values(period, unit, user, catalogue, **values):
    """The unit's report saved with ``values`` and submitted, through the services."""
    report = save_values(period, unit, user, catalogue, **values)
    return services.report_submit(report=report, user=user)


def refused(exc_type, service, **kwargs):
    """The refusal ``service`` raises (``exc_type``), in English."""
    with translation.override("en"), pytest.raises(exc_type) as error:
        service(**kwargs)
    return error.value


def form_data(catalogue, version=0, action="save", **values):
    """POST data of the entry form: ``cases="12"``, ``c_cases="comment"`` …"""
    data = {"version": str(version), "action": action}
    for key, indicator in catalogue.items():
        if indicator.reporter != Indicator.Reporter.COMMUNE_LEVEL:
            continue
        data[f"v_{indicator.code}"] = values.get(key, "")
        data[f"c_{indicator.code}"] = values.get(f"c_{key}", "")
    return data


def entry_url(unit, year):
    return reverse("campaigns:report_entry", args=[year, unit.slug])


def detail_url(unit, year):
    return reverse("campaigns:report_detail", args=[year, unit.slug])
