"""Every record edited through the app keeps its history, shown on its page and in the admin
(issue 10: awards, dossiers, indicators and rule sets left no history)."""

import datetime

import pytest
from django.urls import reverse

from campaigns.certifications import services
from campaigns.certifications.models import Award, Person, RuleSet
from tests.campaigns.factories import IndicatorFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def _award(person, number):
    return {
        "form": "commendation",
        "issuer": "Chủ tịch UBND thành phố",
        "decision_number": number,
        "decision_date": "2021-10-01",
        "recipient_type": "person",
        "recipient_person": person.pk,
        "period_start_year": "2021",
        "period_end_year": "2021",
        "occasion": "special",
        "reason": "Đóng góp cho phong trào",
    }


def test_an_award_edited_on_its_page_shows_who_changed_what(login, approver, unit_a):
    person = Person.objects.create(full_name="Trần Thị B", unit=unit_a)
    client = login(approver)
    client.post(reverse("certifications:award_create"), _award(person, "100/QĐ-UBND"))
    award = Award.objects.get()
    edit = reverse("certifications:award_edit", args=[award.pk])
    assert client.post(edit, _award(person, "200/QĐ-UBND")).status_code == 302
    assert [h.history_type for h in award.history.order_by("history_date")] == ["+", "~"]
    page = client.get(edit).content.decode()
    assert "Lịch sử thay đổi" in page
    assert "100/QĐ-UBND → 200/QĐ-UBND" in page
    assert page.count("approver") >= 2  # created and changed by the approver
    admin_page = login(_superuser()).get(
        reverse("admin:certifications_award_history", args=[award.pk])
    )
    assert admin_page.status_code == 200 and "200/QĐ-UBND" in admin_page.content.decode()


def test_a_dossier_shows_its_history_on_its_page(login, official_a, area_a):
    dossier = services.dossier_create(
        user=official_a, holder=area_a, kind="antt_safe", year=2021, registered_on=D(2021, 2, 15)
    )
    dossier.assessments.filter(criterion__kind="yes_no").update(met=True)
    services.dossier_submit(dossier=dossier, user=official_a)
    page = login(official_a).get(dossier.get_absolute_url()).content.decode()
    assert "Lịch sử thay đổi" in page and "tạo mới" in page
    assert "Đang lập → Chờ quyết định" in page


def test_catalogue_edits_keep_history_in_the_admin(login, admin_user):
    indicator = IndicatorFactory(name_vi="Số vụ phạm pháp hình sự")
    indicator.name_vi = "Số vụ phạm pháp hình sự (vụ)"
    indicator.save()
    rule_set = RuleSet.objects.first()  # seeded by a migration: its history starts here
    rule_set.note = "Ghi chú cũ"
    rule_set.save()
    rule_set.note = "Ghi chú mới"
    rule_set.save()
    client = login(admin_user)
    for url, text in (
        (reverse("admin:campaigns_indicator_history", args=[indicator.pk]), "(vụ)"),
        (reverse("admin:certifications_ruleset_history", args=[rule_set.pk]), "Ghi chú cũ"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert text in response.content.decode()
    assert indicator.history.count() == 2 and rule_set.history.filter(history_type="~").exists()


def _superuser():
    from tests.factories import UserFactory

    return UserFactory(username="root", role="admin", unit=None, is_staff=True, is_superuser=True)
