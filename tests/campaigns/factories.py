"""factory_boy factories of the campaigns app."""

import datetime
from decimal import Decimal

import factory

from campaigns.models import (
    Campaign,
    Indicator,
    IndicatorSection,
    ReportingPeriod,
    ReportValue,
    UnitReport,
    ValidationRule,
)
from tests.factories import UnitFactory


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Phong trào {n}")
    slug = factory.Sequence(lambda n: f"phong-trao-{n}")
    city = factory.SubFactory(UnitFactory, kind="city")
    start_year = 2015


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPeriod

    campaign = factory.SubFactory(CampaignFactory)
    year = 2020
    opens_on = factory.LazyAttribute(lambda p: datetime.date(p.year, 1, 1))
    due_on = factory.LazyAttribute(lambda p: datetime.date(p.year, 12, 15))
    closes_on = factory.LazyAttribute(lambda p: datetime.date(p.year + 1, 1, 31))


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorSection
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"section-{n}")
    name_vi = factory.Sequence(lambda n: f"Nhóm {n}")
    name_en = factory.Sequence(lambda n: f"Section {n}")
    order = factory.Sequence(lambda n: n)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"indicator_{n}")
    section = factory.SubFactory(SectionFactory)
    name_vi = factory.Sequence(lambda n: f"Chỉ tiêu {n}")
    name_en = factory.Sequence(lambda n: f"Indicator {n}")
    unit_of_measure = "vụ"
    value_type = Indicator.ValueType.INTEGER
    min_value = Decimal(0)
    change_alert_percent = 50
    order = factory.Sequence(lambda n: n)


class RuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ValidationRule

    code = factory.Sequence(lambda n: f"rule-{n}")
    operator = ValidationRule.Operator.LTE
    severity = ValidationRule.Severity.BLOCK
    message_vi = "Vế trái không được lớn hơn vế phải."


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitReport

    period = factory.SubFactory(PeriodFactory)
    unit = factory.SubFactory(UnitFactory)
    version = 1


def add_values(report: UnitReport, values: dict[Indicator, object]) -> None:
    """Store values directly (test set-up only; the app writes through services)."""
    for indicator, value in values.items():
        ReportValue.objects.update_or_create(
            report=report,
            indicator=indicator,
            defaults={"value": None if value is None else Decimal(str(value))},
        )
