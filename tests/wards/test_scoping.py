"""Who sees what: officials only their unit, city roles the city, anonymous nobody."""

import pytest
from django.urls import reverse

from tests.factories import OrganizationFactory, ResidentialAreaFactory, UserFactory
from wards.models import AdministrativeUnit, Organization, ResidentialArea
from wards.scoping import can_edit_unit, can_view_unit

pytestmark = pytest.mark.django_db


def unit_pages(unit):
    return [reverse("wards:unit_detail", args=[unit.slug])]


def test_anonymous_is_sent_to_login(client, unit_a):
    for url in [
        reverse("home"),
        reverse("wards:unit_list"),
        reverse("wards:organization_list"),
        *unit_pages(unit_a),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_official_sees_own_unit(login, official_a, unit_a):
    ResidentialAreaFactory(unit=unit_a, name="Khu phố 7")
    response = login(official_a).get(reverse("wards:unit_detail", args=[unit_a.slug]))
    assert response.status_code == 200
    assert "Khu phố 7" in response.content.decode()


def test_official_gets_404_for_other_unit(login, official_a, unit_b):
    client = login(official_a)
    for url in unit_pages(unit_b):
        assert client.get(url).status_code == 404


def test_official_lists_only_own_organizations(login, official_a, unit_a, unit_b):
    OrganizationFactory(unit=unit_a, name="Trường A")
    OrganizationFactory(unit=unit_b, name="Trường B")
    body = login(official_a).get(reverse("wards:organization_list")).content.decode()
    assert "Trường A" in body and "Trường B" not in body
    # Asking for the other unit in the filter is refused by the form, not answered.
    response = login(official_a).get(reverse("wards:organization_list"), {"unit": unit_b.pk})
    assert "Trường B" not in response.content.decode()


@pytest.mark.parametrize("persona", ["approver", "leader"])
def test_city_roles_see_every_unit_of_the_city(request, login, persona, unit_a, unit_b):
    user = request.getfixturevalue(persona)
    client = login(user)
    body = client.get(reverse("wards:unit_list")).content.decode()
    assert unit_a.name in body and unit_b.name in body
    assert client.get(reverse("wards:unit_detail", args=[unit_b.slug])).status_code == 200


def test_city_roles_do_not_see_another_city(login, approver):
    elsewhere = AdministrativeUnit.objects.create(
        kind="ward", code="Z9", name="Phường Xa", slug="phuong-xa", valid_from="2008-01-01"
    )
    assert (
        login(approver).get(reverse("wards:unit_detail", args=[elsewhere.slug])).status_code == 404
    )


def test_scope_rules_for_each_role(official_a, approver, leader, admin_user, city, unit_a, unit_b):
    assert can_view_unit(official_a, unit_a) and can_edit_unit(official_a, unit_a)
    assert not can_view_unit(official_a, unit_b) and not can_edit_unit(official_a, unit_b)
    assert can_view_unit(approver, unit_b) and not can_edit_unit(approver, unit_b)
    assert can_edit_unit(approver, city)
    assert can_view_unit(leader, unit_b)
    assert not can_edit_unit(leader, unit_b) and not can_edit_unit(leader, city)
    assert can_edit_unit(admin_user, unit_b)


def test_account_without_role_sees_nothing(unit_a):
    nobody = UserFactory(role="", unit=None)
    assert not AdministrativeUnit.objects.visible_to(nobody).exists()
    assert not can_view_unit(nobody, unit_a)


def test_inactive_official_sees_nothing(unit_a):
    user = UserFactory(unit=unit_a, is_active=False)
    assert not AdministrativeUnit.objects.visible_to(user).exists()


def test_official_limited_to_assigned_residential_areas(official_a, unit_a):
    mine = ResidentialAreaFactory(unit=unit_a)
    other = ResidentialAreaFactory(unit=unit_a)
    assert set(ResidentialArea.objects.editable_by(official_a)) == {mine, other}
    official_a.residential_areas.set([mine])
    assert set(ResidentialArea.objects.editable_by(official_a)) == {mine}
    assert set(ResidentialArea.objects.visible_to(official_a)) == {mine, other}


def test_official_gets_403_in_admin_for_every_object(login, official_a, unit_b):
    org = OrganizationFactory(unit=unit_b)
    area = ResidentialAreaFactory(unit=unit_b)
    client = login(official_a)
    urls = [
        reverse("admin:index"),
        reverse("admin:login"),
        reverse("admin:wards_administrativeunit_change", args=[unit_b.pk]),
        reverse("admin:wards_organization_change", args=[org.pk]),
        reverse("admin:wards_residentialarea_change", args=[area.pk]),
        reverse("admin:wards_organization_changelist"),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url


def test_leader_cannot_change_anything_in_admin(login, leader, unit_b):
    client = login(leader)
    response = client.post(
        reverse("admin:wards_administrativeunit_change", args=[unit_b.pk]), {"name": "Đổi tên"}
    )
    assert response.status_code == 403
    unit_b.refresh_from_db()
    assert unit_b.name == "Phường 2"


def test_admin_sees_and_keeps_history(login, admin_user, unit_a):
    client = login(admin_user)
    assert (
        client.get(reverse("admin:wards_administrativeunit_change", args=[unit_a.pk])).status_code
        == 200
    )
    unit_a.name = "Phường Một"
    unit_a._change_reason = "Đổi tên theo nghị quyết"
    unit_a.save()
    history = client.get(reverse("admin:wards_administrativeunit_history", args=[unit_a.pk]))
    assert history.status_code == 200
    # Both versions are kept, newest first, and the page shows the change and its reason.
    kept = list(unit_a.history.values_list("name", "history_type"))
    assert kept == [("Phường Một", "~"), ("Phường 1", "+")]
    assert [r.name for r in history.context["page_obj"].object_list] == ["Phường Một", "Phường 1"]
    body = history.content.decode()
    assert "Đổi tên theo nghị quyết" in body


def test_staff_official_sees_only_own_unit_in_admin(login, unit_a, unit_b):
    staff = UserFactory(role="official", unit=unit_a, is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.set(Permission.objects.filter(codename__in=["view_organization"]))
    OrganizationFactory(unit=unit_a, name="Của tôi")
    other = OrganizationFactory(unit=unit_b, name="Của người khác")
    client = login(staff)
    body = client.get(reverse("admin:wards_organization_changelist")).content.decode()
    assert "Của tôi" in body and "Của người khác" not in body
    response = client.get(reverse("admin:wards_organization_change", args=[other.pk]))
    assert response.status_code == 302  # the admin redirects a missing object to its index
    assert Organization.objects.visible_to(staff).count() == 1


UNIT_LIST_QUERIES = [
    "session",
    "user",
    "the user's ground over the recorded unit changes",
    "unread notifications (the bell)",
    "the units with their parent and counts of residential areas and organisations",
]
ORGANIZATION_LIST_QUERIES = [
    "session",
    "user",
    "the user's ground over the recorded unit changes",
    "the organisations of the ground (count, for the pages)",
    "unread notifications (the bell)",
    "the units of the ground (the filter's choices)",
    "one page of organisations with their unit",
]


@pytest.mark.parametrize("units", [2, 12])
def test_unit_list_query_count_is_pinned_and_does_not_grow(
    login, approver, city, units, django_assert_num_queries
):
    from tests.factories import UnitFactory

    for _ in range(units):
        unit = UnitFactory(parent=city)
        ResidentialAreaFactory(unit=unit)
        OrganizationFactory(unit=unit)
    client = login(approver)
    with django_assert_num_queries(len(UNIT_LIST_QUERIES)):
        assert client.get(reverse("wards:unit_list")).status_code == 200
    with django_assert_num_queries(len(ORGANIZATION_LIST_QUERIES)):
        assert client.get(reverse("wards:organization_list")).status_code == 200


def test_every_model_is_in_the_admin_directly_or_inline():
    from django.apps import apps
    from django.contrib import admin

    inline_models = {
        inline.model
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }
    ours = {"wards", "campaigns", "certifications", "models_registry", "dashboard"}
    missing = [
        m._meta.label
        for m in apps.get_models()
        if m._meta.app_label in ours
        and not m.__name__.startswith("Historical")
        and m not in admin.site._registry
        and m not in inline_models
    ]
    assert missing == []


def test_unit_scope_decided_in_memory_agrees_with_the_database(
    official_a,
    approver,
    leader,
    admin_user,
    province,
    city,
    unit_a,
    unit_b,
    django_assert_num_queries,
):
    """can_view_unit / can_edit_unit decide on a unit loaded with its parents without a query
    (once the approver's ground is known) and always as the database would."""
    from tests.factories import UnitFactory

    other_city = UnitFactory(kind="city", parent=province)
    UnitFactory(kind="ward", parent=other_city)
    chain = ("parent", "parent__parent", "parent__parent__parent")
    units = list(AdministrativeUnit.objects.select_related(*chain).order_by("pk"))
    for user in (official_a, approver, leader, admin_user):
        can_view_unit(user, units[0])  # an approver's or leader's ground: one query, once
        for unit in units:
            with django_assert_num_queries(0):
                decided = (can_view_unit(user, unit), can_edit_unit(user, unit))
            in_db = (
                AdministrativeUnit.objects.visible_to(user).filter(pk=unit.pk).exists(),
                AdministrativeUnit.objects.editable_by(user).filter(pk=unit.pk).exists(),
            )
            assert decided == in_db, (user.username, unit.name)
