"""English query keys, with the old Vietnamese keys still read for bookmarked links."""

from django.test import RequestFactory

from wards.params import query_param


def _get(query: str):
    return RequestFactory().get("/x/" + query)


def test_the_english_key_is_read_first():
    request = _get("?status=approved&trang-thai=cho-duyet")
    assert query_param(request, "status", "trang-thai") == "approved"


def test_an_old_key_still_works():
    assert query_param(_get("?trang-thai=cho-duyet"), "status", "trang-thai") == "cho-duyet"


def test_an_empty_value_is_present():
    assert query_param(_get("?status=&trang-thai=x"), "status", "trang-thai", default="d") == ""


def test_default_when_no_key_is_present():
    assert query_param(_get("?other=1"), "status", "trang-thai") is None
    assert query_param(_get(""), "status", default="") == ""


def test_the_english_key_wins_even_when_empty(rf):
    request = rf.get("/", {"nam": "2021", "year": ""})
    assert query_param(request, "year", "nam") == ""
