"""Live replica tests: the databases exist already (made by .ci/replica-tests), with committed
demo data on the primary that the replica streams; no test database is created."""

import os

import pytest

LIVE = os.environ.get("LIVE_REPLICA_TESTS") == "1"


def pytest_collection_modifyitems(config, items):
    if LIVE:
        return
    skip = pytest.mark.skip(reason="needs a live primary and replica: bash .ci/replica-tests")
    for item in items:
        if "tests/replica/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup():
    """Use the primary and the replica as they are (no test database)."""


@pytest.fixture
def live_db(django_db_blocker):
    with django_db_blocker.unblock():
        yield
