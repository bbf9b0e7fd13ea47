from decimal import Decimal as D

from django.utils import translation

from campaigns.dashboard.narrative import crime_sentence, hotspot_sentence, titles_sentence, trend


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


def test_no_yearly_fall_is_read_into_a_partial_year():
    series = {2019: D(120), 2020: D(104), 2021: D(22)}
    with translation.override("vi"):
        complete = crime_sentence(series)
        assert "giảm hằng năm" in complete and "22 vụ năm 2021" in complete
        partial = crime_sentence(series, complete_years=[2019, 2020])
        assert "giảm hằng năm" not in partial and "22" not in partial
        assert "(2019–2020)" in partial and "từ 120 vụ xuống 104 vụ" in partial
        alone = crime_sentence({2020: D(104), 2021: D(22)}, complete_years=[2020])
        assert "chưa đủ số liệu" in alone


def test_every_year_hotspots_only_when_every_year_is_complete():
    series = {2020: D(3), 2021: D(1)}
    with translation.override("vi"):
        assert "năm nào cũng" in hotspot_sentence(series, complete_years=[2020, 2021])
        partial = hotspot_sentence(series, complete_years=[2020])
        assert "năm nào cũng" not in partial and "triệt xóa 4 tụ điểm" in partial


def test_titles_verb_follows_the_counts():
    with translation.override("vi"):
        kept = titles_sentence("ward", 11, 11, 2015, 2020, comparable=True)
        assert kept.startswith("giữ vững 11 phường đạt chuẩn văn minh đô thị")
        fell = titles_sentence("ward", 11, 10, 2019, 2020, comparable=True)
        assert "giữ vững" not in fell and "giảm từ 11" in fell and fell.startswith("chỉ còn 10")
        rose = titles_sentence("commune", 4, 6, 2015, 2020, comparable=True)
        assert "6 xã đạt chuẩn văn hóa nông thôn mới năm 2020, tăng từ 4" in rose
        unknown = titles_sentence("ward", 11, 11, 2020, 2021, comparable=False)
        assert "giữ vững" not in unknown and unknown == (
            "năm 2021 có 11 phường đạt chuẩn văn minh đô thị"
        )
