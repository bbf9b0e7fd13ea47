from decimal import Decimal as D

from django.utils import translation

from campaigns.dashboard.narrative import crime_sentence, hotspot_sentence, trend


def test_trend_falling_every_year():
    assert trend({2015: D(10), 2016: D(9), 2017: D(8)}).kind == "falling_every_year"


def test_trend_lower_overall_names_the_years_it_rose():
    t = trend({2015: D(10), 2016: D(11), 2017: D(8)})
    assert t.kind == "lower_overall" and t.rises_in == (2016,)


def test_trend_flat_year_is_not_a_fall():
    assert trend({2015: D(10), 2016: D(10), 2017: D(8)}).kind == "lower_overall"


def test_trend_insufficient_when_a_year_is_missing():
    assert trend({2015: D(10), 2016: None}).kind == "insufficient"


def test_narrative_says_giam_hang_nam_only_when_it_is_true():
    with translation.override("vi"):
        falling = crime_sentence({2015: D(152), 2016: D(141), 2017: D(133)})
        assert "giảm hằng năm" in falling and "152" in falling
        rising_once = crime_sentence({2015: D(152), 2016: D(160), 2017: D(133)})
        assert "giảm hằng năm" not in rising_once
        assert "2016" in rising_once
        up = crime_sentence({2015: D(100), 2016: D(120)})
        assert "giảm" not in up.replace("không giảm", "")


def test_hotspot_sentence_every_year_or_names_the_gap():
    with translation.override("vi"):
        assert "năm nào cũng" in hotspot_sentence({2015: D(3), 2016: D(2)})
        gap = hotspot_sentence({2015: D(3), 2016: D(0)})
        assert "2016" in gap and "năm nào cũng" not in gap
