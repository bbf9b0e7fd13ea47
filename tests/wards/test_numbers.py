"""The one way a figure is shown (the ``num`` filter) and the one way it is sent as JSON."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from wards.numbers import format_number, json_number


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (Decimal("70.55"), 1, "70,6"),  # half rounds up, not away (the dashboard cut it to 70,5)
        (Decimal("70.54"), 1, "70,5"),
        (Decimal("70.56"), 1, "70,6"),
        (Decimal("70"), 1, "70,0"),  # asked for: exactly that many decimals
        (Decimal("70.555"), None, "70,56"),  # at most two decimals otherwise
        (Decimal("70.554"), None, "70,55"),
        (Decimal("70.50"), None, "70,5"),  # as entered, trailing zeros dropped
        (Decimal("12.00"), None, "12"),  # whole: no decimals
        (Decimal("12.004"), None, "12"),
        (Decimal("-0.125"), None, "-0,13"),
        (1816, None, "1.816"),
        (15000000, None, "15.000.000"),
        (70.5, None, "70,5"),
        ("70.55", "1", "70,6"),
        (None, None, "—"),
        ("", None, "—"),
    ],
)
def test_format_number_rounds_half_up_the_vietnamese_way(value, decimals, shown):
    with translation.override("vi"):
        assert format_number(value, decimals) == shown


def test_both_template_libraries_share_the_one_num_filter():
    source = "{% load LIB %}{{ a|num }}|{{ b|num:1 }}|{{ c|num }}"
    context = Context({"a": 1816, "b": Decimal("70.55"), "c": None})
    with translation.override("vi"):
        for library in ("campaign_tags", "figures"):
            rendered = Template(source.replace("LIB", library)).render(context)
            assert rendered == "1.816|70,6|—", library


@pytest.mark.parametrize(
    ("value", "kwargs", "sent"),
    [
        (None, {}, None),
        (Decimal("12.00"), {}, 12),
        (Decimal("70.5"), {}, 70.5),
        (Decimal("70.125"), {}, 70.13),  # half up, not Python's half-even round()
        (Decimal("70.124"), {}, 70.12),
        (Decimal("46.5"), {"integer": True}, 47),
        (Decimal("46.4"), {"integer": True}, 46),
        (Decimal("70"), {"integer": False}, 70.0),
        (7, {"integer": True}, 7),
        (Decimal("70.5612"), {"places": None}, 70.5612),
    ],
)
def test_json_number(value, kwargs, sent):
    result = json_number(value, **kwargs)
    assert result == sent and type(result) is type(sent)
