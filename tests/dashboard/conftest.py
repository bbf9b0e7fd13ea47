import io

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.campaigns.conftest import campaign, catalogue, now_year, period  # noqa: F401
from wards.models import User


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """The demo data, loaded once per module inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_db, db):
    return {
        u.username: u
        for u in User.objects.filter(
            username__in=["leader", "approver", "admin", "phuong-1", "phuong-2"]
        )
    }
