"""The admin in Vietnamese, with years written plainly (2015, not "2.015")."""

from django.urls import reverse

from tests.campaigns.conftest import campaign, now_year, period  # noqa: F401


def test_admin_lists_years_without_a_thousands_separator(login, admin_user, period):  # noqa: F811
    client = login(admin_user)
    page = client.get(reverse("admin:campaigns_reportingperiod_changelist")).content.decode()
    year = str(period.year)
    assert f">{year}<" in page
    assert f"{year[0]}.{year[1:]}" not in page


def test_admin_chrome_and_third_party_apps_are_vietnamese(login, admin_user):
    client = login(admin_user)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Chuyển đến nội dung chính" in page and "Skip to main content" not in page
    assert "Toggle theme" not in page
    assert "Khóa đăng nhập" in page  # django-axes, named in Vietnamese
    attempts = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "lần truy cập" in attempts.lower()


def test_help_page_opens_on_the_readers_role_and_lists_every_role(login, official_a):
    client = login(official_a)
    page = client.get(reverse("wards:help"))
    assert page.status_code == 200
    assert page.context["role"] == "official"
    body = page.content.decode()
    assert "Bắt đầu nhập số liệu" in body
    for role in ("approver", "leader", "admin"):
        assert reverse("wards:help_role", args=[role]) in body
        assert client.get(reverse("wards:help_role", args=[role])).status_code == 200
    assert client.get("/tro-giup/nobody/").status_code == 404


def test_help_page_needs_a_login(client):
    response = client.get(reverse("wards:help"))
    assert response.status_code == 302 and "/tai-khoan/login/" in response["Location"]
