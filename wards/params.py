"""Query parameters under their English keys, with the Vietnamese keys of older links.

The keys were half Vietnamese (``nam``, ``don-vi``) and half English (``year``, ``format``);
pages now emit English keys only. Links bookmarked or printed before still carry the old keys,
so a view reads the English key first and falls back to the old one.
"""

from django.http import QueryDict


def query_value(query: QueryDict, key: str, *, old: str | None = None) -> str | None:
    """The value of ``key`` in ``query``, else of the former key ``old``, else None.

    The English key wins when both are present, even empty: a form submitted from a page
    that emits ``key`` says what the user chose."""
    if key in query or old is None:
        return query.get(key)
    return query.get(old)
