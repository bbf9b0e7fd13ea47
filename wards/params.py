"""Query-string keys: English, with the old Vietnamese keys still read for bookmarked links.

The keys were half Vietnamese (``nam``, ``don-vi``) and half English (``year``, ``format``);
pages now emit English keys only, and a view reads the English key first, then the old one."""

from django.http import HttpRequest


def query_param(request: HttpRequest, key: str, *legacy_keys: str, default=None):
    """``request.GET``'s value for the first of ``key`` and then ``legacy_keys`` present in the
    query string (an empty value counts as present); ``default`` when none is.

    ``query_param(request, "status", "trang-thai", default="")`` reads ``?status=`` and still
    honours an old ``?trang-thai=`` link.
    """
    for name in (key, *legacy_keys):
        if name in request.GET:
            return request.GET[name]
    return default
