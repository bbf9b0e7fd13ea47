"""Which database a request reads from (the live replica is tested in tests/replica/)."""

import time

import pytest
from django.test import RequestFactory, override_settings
from django.urls import resolve

from mytho_security import routers
from mytho_security.routers import PRIMARY_COOKIE, ReplicaReadsMiddleware, ReplicaRouter
from wards.models import AdministrativeUnit


@pytest.fixture
def with_replica(monkeypatch):
    """As if DATABASE_REPLICA_URL were set (no query runs in these tests)."""
    monkeypatch.setattr(routers, "replica_configured", lambda: True)


def _routed(request) -> list[str | None]:
    """What the router answers for a read during the view of ``request``."""
    seen = []

    def view(req):
        from django.http import HttpResponse

        seen.append(ReplicaRouter().db_for_read(AdministrativeUnit))
        return HttpResponse()

    middleware = ReplicaReadsMiddleware(view)
    request.resolver_match = resolve(request.path)

    def get_response(req):
        middleware.process_view(req, view, (), {})
        return view(req)

    middleware.get_response = get_response
    response = middleware(request)
    seen.append(ReplicaRouter().db_for_read(AdministrativeUnit))  # after the request
    return seen, response


def test_figures_pages_read_from_the_replica_and_nothing_else_does(with_replica):
    factory = RequestFactory()
    for path in ["/tong-quan/", "/bao-cao-so-ket/", "/api/v1/summary/", "/api/v1/units/"]:
        seen, _ = _routed(factory.get(path))
        assert seen == ["replica", None], path  # and back to the primary after the request
    for path in ["/", "/bao-cao/", "/duyet-bao-cao/"]:
        seen, _ = _routed(factory.get(path))
        assert seen == [None, None], path
    assert ReplicaRouter().db_for_write(AdministrativeUnit) == "default"


@override_settings(READ_PRIMARY_AFTER_WRITE_SECONDS=10)
def test_a_browser_that_just_wrote_reads_from_the_primary_for_a_while(with_replica):
    factory = RequestFactory()
    _seen, response = _routed(factory.post("/bao-cao/2021/phuong-1/duyet/"))
    cookie = response.cookies[PRIMARY_COOKIE]
    assert cookie["max-age"] == 10 and cookie["httponly"]
    assert float(cookie.value) > time.time() + 9

    fresh = factory.get("/tong-quan/")
    fresh.COOKIES[PRIMARY_COOKIE] = cookie.value
    assert _routed(fresh)[0] == [None, None]
    expired = factory.get("/tong-quan/")
    expired.COOKIES[PRIMARY_COOKIE] = str(time.time() - 1)
    assert _routed(expired)[0] == ["replica", None]
    forged = factory.get("/tong-quan/")
    forged.COOKIES[PRIMARY_COOKIE] = "not a time"
    assert _routed(forged)[0] == ["replica", None]


def test_without_a_replica_everything_reads_from_the_primary():
    assert not routers.replica_configured()
    seen, response = _routed(RequestFactory().get("/tong-quan/"))
    assert seen == [None, None]
    _seen, response = _routed(RequestFactory().post("/tong-quan/"))
    assert PRIMARY_COOKIE not in response.cookies
