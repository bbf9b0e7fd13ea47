"""Starting the app never destroys data: load_demo only fills an empty database."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from wards.models import User

pytestmark = pytest.mark.django_db


def _every_row() -> dict[str, list[tuple]]:
    """Every row of every table, ordered, to compare before and after."""
    rows = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        rows[model._meta.db_table] = list(
            model._default_manager.order_by("pk").values_list(*fields)
        )
    return rows


def _load_demo(*args) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_running_load_demo_again_changes_no_row():
    _load_demo()
    User.objects.filter(username="phuong-1").update(first_name="Đổi tên sau khi chạy")
    before = _every_row()
    assert sum(len(r) for r in before.values()) > 1000
    output = _load_demo()
    assert _every_row() == before
    assert output.strip() == (
        "Demo data not loaded: the database already has data (nothing changed; "
        "`make demo-reset` starts over)."
    )


def test_a_real_superusers_password_is_never_reset():
    User.objects.create_superuser("admin", password="a-real-long-secret-2026")
    _load_demo()
    admin = User.objects.get(username="admin")
    assert admin.check_password("a-real-long-secret-2026")
    assert not admin.check_password("MyTho@2020")
    assert User.objects.count() == 1


def test_with_debug_off_it_refuses_and_changes_nothing(settings):
    settings.DEBUG = False
    settings.LOAD_DEMO_WITHOUT_DEBUG = False
    before = _every_row()
    with pytest.raises(CommandError, match="--i-know-this-is-not-production"):
        _load_demo()
    assert _every_row() == before
    assert not User.objects.exists()


def test_with_debug_off_the_flag_loads_an_empty_database(settings):
    settings.DEBUG = False
    settings.LOAD_DEMO_WITHOUT_DEBUG = False
    _load_demo("--i-know-this-is-not-production")
    assert User.objects.filter(username="leader").exists()


def test_reset_says_what_it_deletes_and_starts_over(settings):
    settings.DEBUG = True
    _load_demo()
    User.objects.filter(username="leader").update(first_name="Sửa tay")
    User.objects.create_user("someone-else", password="x-long-password-1")
    output = _load_demo("--reset")
    assert "Deleting every row of database" in output
    assert "wards_user" in output and "attachment file(s) under MEDIA_ROOT" in output
    assert not User.objects.filter(username="someone-else").exists()
    assert User.objects.get(username="leader").first_name == "Lãnh đạo"
    # What migrations seed survives the reset.
    assert apps.get_model("certifications", "RuleSet").objects.exists()
