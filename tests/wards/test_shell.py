"""The UI shell: language, number formats, security headers and error pages."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)


def test_vietnamese_is_default_and_english_selectable(login, official_a):
    client = login(official_a)
    assert 'lang="vi"' in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in body and "What is due" in body


def test_numbers_are_formatted_the_vietnamese_way():
    template = Template("{% load humanize %}{{ n }}|{{ p|floatformat:1 }}|{{ n|intcomma }}")
    with translation.override("vi"):
        assert template.render(Context({"n": 1816, "p": 70.5})) == "1.816|70,5|1.816"
    with translation.override("en"):
        assert template.render(Context({"n": 1816, "p": 70.5})) == "1,816|70.5|1,816"


def test_csp_forbids_inline_script_and_style(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    body = response.content.decode()
    assert "<style" not in body and "style=" not in body
    assert "<script>" not in body  # only <script src=...>


def test_templates_have_no_inline_script_or_style():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        if "<script>" in text or " style=" in text or "<style" in text:
            offenders.append(str(path))
    assert offenders == []


def test_no_cdn_every_asset_is_vendored():
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        assert "https://" not in text and "http://cdn" not in text, path
    assert (ROOT / "static/vendor/bootstrap/bootstrap.min.css").exists()
    assert (ROOT / "static/vendor/bootstrap/bootstrap.bundle.min.js").exists()


def test_404_page_is_vietnamese(login, official_a):
    response = login(official_a).get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_403_page_is_vietnamese(login, official_a):
    response = login(official_a).get(reverse("admin:index"))
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def _run_manage(*args, env_overrides):
    # A clean environment: none of the test settings' variables leak into "production".
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "DATABASE_URL") if k in os.environ}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "DEBUG": "0",
            "SECRET_KEY": "x" * 20 + "production-like-secret-key-with-enough-entropy-1234567890",
            "ALLOWED_HOSTS": "antq.mytho.local",
            "CSRF_TRUSTED_ORIGINS": "https://antq.mytho.local",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_startup_fails_clearly_without_secret_key():
    result = _run_manage("check", env_overrides={"DEBUG": "0", "ALLOWED_HOSTS": "x"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_bad_boolean_in_environment_fails_clearly():
    result = _run_manage("check", env_overrides={"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_english_browser_still_gets_vietnamese_until_the_user_switches(login, official_a):
    client = login(official_a)
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="vi"' in body


def test_vietnamese_catalogue_is_complete_and_compiled(tmp_path):
    """Every string has a Vietnamese translation and the committed .mo matches the .po."""
    import shutil

    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext (msgfmt) is not installed")
    po = ROOT / "locale/vi/LC_MESSAGES/django.po"
    compiled = tmp_path / "django.mo"
    result = subprocess.run(
        [msgfmt, "--check-format", "--statistics", "-o", str(compiled), str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    assert compiled.read_bytes() == (ROOT / "locale/vi/LC_MESSAGES/django.mo").read_bytes(), (
        "Run `make messages` to recompile the catalogue"
    )


def test_every_icon_in_use_is_in_the_subset_font():
    from wards.management.commands.subset_icons import ICONS, icons_in_use, subset_css_names

    full = (ICONS / "bootstrap-icons.min.css").read_text(encoding="utf-8")
    missing = {n for n in icons_in_use() - subset_css_names() if f".{n}::before" in full}
    assert not missing, f"run `python manage.py subset_icons` for: {sorted(missing)}"
