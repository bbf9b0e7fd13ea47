"""``wards.params.query_value``: English query keys first, the former Vietnamese key after."""

from django.http import QueryDict

from wards.params import query_value


def test_the_english_key_is_read():
    assert query_value(QueryDict("year=2022"), "year", old="nam") == "2022"


def test_the_old_key_of_a_bookmarked_link_still_works():
    assert query_value(QueryDict("nam=2021"), "year", old="nam") == "2021"


def test_the_english_key_wins_even_when_empty():
    assert query_value(QueryDict("nam=2021&year=2022"), "year", old="nam") == "2022"
    assert query_value(QueryDict("nam=2021&year="), "year", old="nam") == ""


def test_neither_key_gives_none():
    assert query_value(QueryDict("page=2"), "year", old="nam") is None
    assert query_value(QueryDict("nam=2021"), "year") is None
