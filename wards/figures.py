"""Cached figures, invalidated exactly: every change to them bumps one version in its transaction.

The dashboard, the period review, its exports and the API cache what they compute under a key
made of the current :class:`~wards.models.FiguresVersion`, the page and its parameters (scope,
years, "as of", basis). Each service that changes what those pages count calls :func:`bump` inside
its own transaction (report status changes, certification decisions, model sites), so the
request after the commit reads a new version and computes afresh: an approval shows on the next
request, on every server. Old entries are never read again and age out of the cache.

The cache is Django's (``CACHES``: Redis when ``REDIS_URL`` is set, local memory otherwise).
When it fails (Redis stopped), pages are computed as if nothing were cached: slower, never wrong.

This module lives on the ground floor (``wards``) so that every app can bump the version.
"""

import hashlib
import logging
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import F
from django.utils import timezone

from wards.models import FiguresVersion

logger = logging.getLogger(__name__)

T = TypeVar("T")
_MISSING = object()
_COUNTER = 1  # the one row of FiguresVersion
# The version this request has read ({} until it reads it); None outside a request.
_request_memo: ContextVar[dict | None] = ContextVar("figures_request_memo", default=None)


def bump() -> None:
    """Make every cached figure stale. Call inside the transaction that changes the figures.

    One ``UPDATE`` of one row: the row stays locked until the transaction commits, so call it
    last in the transaction to keep that short.
    """
    updated = FiguresVersion.objects.filter(pk=_COUNTER).update(
        value=F("value") + 1, changed_at=timezone.now()
    )
    if not updated:  # the row was removed (a test flush): start again above zero
        FiguresVersion.objects.bulk_create(
            [FiguresVersion(pk=_COUNTER, value=1, changed_at=timezone.now())],
            ignore_conflicts=True,
        )
    memo = _request_memo.get()
    if memo is not None:
        memo.clear()  # this request reads the new version next time


def current() -> int:
    """The current version: one query by primary key, once per request. A request works on
    the version it read first (the one its cached pieces are keyed on), unless it bumps it."""
    memo = _request_memo.get()
    if memo is not None and "version" in memo:
        return memo["version"]
    value = FiguresVersion.objects.filter(pk=_COUNTER).values_list("value", flat=True).first()
    value = value or 0
    if memo is not None:
        memo["version"] = value
    return value


def version_read() -> int | None:
    """The version this request has read already, or None (no query): lets a lower layer
    (the scoping's ground) use the cache on the pages that read the version anyway."""
    memo = _request_memo.get()
    return None if memo is None else memo.get("version")


class RequestVersionMiddleware:
    """Each request reads the figures version at most once (:func:`current`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_memo.set({})
        try:
            return self.get_response(request)
        finally:
            _request_memo.reset(token)


def _key(name: str, parts: tuple[Hashable, ...], version: int) -> str:
    # The database name keeps two databases that share one Redis apart (and tests from runs).
    database = connections["default"].settings_dict["NAME"]
    digest = hashlib.blake2b(repr((database, parts)).encode(), digest_size=16).hexdigest()
    return f"figures:{version}:{name}:{digest}"


def cached(name: str, parts: tuple[Hashable, ...], compute: Callable[[], T], *, version: int) -> T:
    """``compute()``'s result, from the cache when an entry of ``version`` exists.

    ``parts`` must hold everything the result depends on besides the figures (scope unit,
    years, "as of", basis, language for translated text, page size...). A broken cache is logged
    and skipped.
    """
    key = _key(name, parts, version)
    try:
        value = cache.get(key, _MISSING)
    except Exception:  # noqa: BLE001 - any cache failure (Redis down) must not break a page
        logger.warning("figures cache unavailable, computing %s", name, exc_info=True)
        return compute()
    if value is not _MISSING:
        return value
    value = compute()
    try:
        cache.set(key, value, settings.FIGURES_CACHE_SECONDS)
    except Exception:  # noqa: BLE001
        logger.warning("figures cache unavailable, not storing %s", name, exc_info=True)
    return value


def peek(name: str, parts: tuple[Hashable, ...], *, version: int):
    """The entry :func:`cached` stored under the same name, parts and version, or None (also
    when the cache is unavailable): for a page that may skip its checks on a hit because only
    an answer that passed them was stored."""
    try:
        value = cache.get(_key(name, parts, version), _MISSING)
    except Exception:  # noqa: BLE001 - as in cached()
        logger.warning("figures cache unavailable, not reading %s", name, exc_info=True)
        return None
    return None if value is _MISSING else value
