"""The comparison table's ranking, tested on the function that ranks (issue 14: a fault that gave
tied units different ranks survived the whole suite)."""

import datetime
from decimal import Decimal

import pytest

from campaigns.certifications import services
from campaigns.certifications.seed import seed_rule_sets
from campaigns.dashboard.reports import comparison
from campaigns.dashboard.selectors import Query, indicator_catalogue, summary
from tests.campaigns.factories import IndicatorFactory
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _sheet(unit, total: int) -> None:
    official = UserFactory(role="official", unit=unit)
    sheet = services.classification_create(user=official, holder=unit, year=2020)
    left = Decimal(total)
    for score in sheet.scores.order_by("item__order"):
        score.self_points = min(score.max_points, left)
        score.save()
        left -= score.self_points


def _ranks(city) -> dict[str, int]:
    query = Query(unit=city, year_from=2020, year_to=2020, as_of=datetime.date(2020, 12, 31))
    catalogue = indicator_catalogue()
    rows = comparison(query, summary(query, catalogue), catalogue)
    return {row.unit.name: row.rank for row in rows}


def test_tied_units_share_a_rank_and_the_next_rank_skips(city):
    seed_rule_sets()
    IndicatorFactory(code="criminal_cases")  # the summary compares it with the previous period
    points = {"Phường A": 90, "Phường B": 95, "Phường C": 90, "Xã D": 80, "Xã E": None}
    for name, total in points.items():
        unit = UnitFactory(parent=city, name=name, kind="commune" if "Xã" in name else "ward")
        if total is not None:
            _sheet(unit, total)
    # Competition ranking (1, 2, 2, 4): a tie shares the rank and the next one skips; no sheet,
    # no rank.
    assert _ranks(city) == {"Phường B": 1, "Phường A": 2, "Phường C": 2, "Xã D": 4, "Xã E": 0}
