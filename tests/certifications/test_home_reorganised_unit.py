import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_official_of_a_unit_reorganised_away_is_not_asked_for_new_dossiers(
    login, official_a, unit_a
):
    unit_a.valid_to = timezone.localdate() - datetime.timedelta(days=30)
    unit_a.save()
    body = login(official_a).get(reverse("home")).content.decode()
    assert "hồ sơ mới do đơn vị kế thừa lập" in body
    button = f'class="btn btn-sm btn-primary" href="{reverse("certifications:prepare")}"'
    assert button not in body


def test_official_of_a_current_unit_is_asked_to_prepare(login, official_a):
    body = login(official_a).get(reverse("home")).content.decode()
    button = f'class="btn btn-sm btn-primary" href="{reverse("certifications:prepare")}"'
    assert button in body
