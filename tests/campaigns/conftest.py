"""A small catalogue, an open period for this year and an approved report last year."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from campaigns.models import Indicator, ReportStatus
from tests.campaigns.factories import (
    CampaignFactory,
    IndicatorFactory,
    PeriodFactory,
    ReportFactory,
    RuleFactory,
    SectionFactory,
    add_values,
)


@pytest.fixture
def now_year():
    return timezone.localdate().year


@pytest.fixture
def campaign(city):
    return CampaignFactory(city=city, slug="antq-thu", name="Phong trào thử", is_demo=False)


@pytest.fixture
def period(campaign, now_year):
    """This year's period, open today and due in a month."""
    today = timezone.localdate()
    return PeriodFactory(
        campaign=campaign,
        year=now_year,
        opens_on=datetime.date(now_year, 1, 1),
        due_on=today + datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=60),
    )


@pytest.fixture
def last_period(campaign, now_year):
    return PeriodFactory(campaign=campaign, year=now_year - 1)


@pytest.fixture
def catalogue(db):
    """Six ward indicators in two sections, one city indicator, two rules (block and warn)."""
    crime = SectionFactory(code="crime_order", name_vi="Tội phạm", order=1)
    traffic = SectionFactory(code="traffic", name_vi="Giao thông", order=2)
    forces = SectionFactory(code="forces_training", name_vi="Lực lượng", order=3)
    ind = {
        "cases": IndicatorFactory(
            code="criminal_cases", section=crime, name_vi="Phạm pháp hình sự", is_required=True
        ),
        "solved": IndicatorFactory(
            code="criminal_cases_solved", section=crime, name_vi="Số vụ đã làm rõ"
        ),
        "offenders": IndicatorFactory(
            code="offenders_handled",
            section=crime,
            name_vi="Đối tượng vi phạm pháp luật bị phát hiện, xử lý",
            max_value=Decimal(5000),
            unit_of_measure="người",
        ),
        "fines": IndicatorFactory(
            code="admin_fines",
            section=crime,
            name_vi="Tiền phạt",
            value_type=Indicator.ValueType.DECIMAL,
            unit_of_measure="triệu đồng",
        ),
        "accidents": IndicatorFactory(
            code="traffic_accidents", section=traffic, name_vi="Tai nạn giao thông"
        ),
        "deaths": IndicatorFactory(
            code="traffic_deaths",
            section=traffic,
            name_vi="Người chết do TNGT",
            change_alert_percent=None,
        ),
        "share": IndicatorFactory(
            code="police_university_share",
            section=forces,
            name_vi="Tỷ lệ cán bộ có trình độ đại học",
            value_type=Indicator.ValueType.PERCENTAGE,
            reporter=Indicator.Reporter.CITY,
            unit_of_measure="%",
            max_value=None,
            is_required=True,
        ),
    }
    RuleFactory(
        code="solved_le_cases",
        left=ind["solved"],
        right=ind["cases"],
        message_vi="Số vụ làm rõ không được lớn hơn số vụ phạm pháp hình sự.",
    )
    RuleFactory(
        code="deaths_le_accidents",
        left=ind["deaths"],
        right=ind["accidents"],
        severity="warn",
        message_vi="Số người chết nhiều hơn số vụ tai nạn giao thông: kiểm tra lại.",
    )
    return ind


@pytest.fixture
def last_year_report(last_period, unit_a, catalogue, approver, official_a):
    """Unit A's approved report of last year: 10 cases, 100 offenders."""
    report = ReportFactory(
        period=last_period,
        unit=unit_a,
        status=ReportStatus.APPROVED,
        version=3,
        submitted_at=timezone.now(),
        first_submitted_at=timezone.now(),
        submitted_by=official_a,
        approved_at=timezone.now(),
        approved_by=approver,
    )
    add_values(
        report,
        {
            catalogue["cases"]: 10,
            catalogue["solved"]: 8,
            catalogue["offenders"]: 100,
            catalogue["accidents"]: 4,
            catalogue["deaths"]: 2,
        },
    )
    return report
