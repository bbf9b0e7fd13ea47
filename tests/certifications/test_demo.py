"""The demo data agrees with the seed article, and the figures can be read off the pages."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from campaigns.certifications import selectors
from campaigns.certifications.models import Award, Dossier, FestivalDay
from wards.models import AdministrativeUnit, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())
    return {u.slug: u for u in AdministrativeUnit.objects.all()}


def _unit_ids(units):
    return [
        u.pk for u in AdministrativeUnit.objects.filter(slug="tp-my-tho").get().children.all()
    ] + [units["tp-my-tho"].pk]


def test_demo_reproduces_the_2020_figures(demo):
    ids = _unit_ids(demo)
    count = selectors.certified_count
    assert count(kind="antt_safe", holder_type="unit", year=2020, unit_ids=ids) == 17
    assert count(kind="antt_safe", holder_type="organization", year=2020, unit_ids=ids) == 46
    assert count(kind="civilized_urban", holder_type="unit", year=2020, unit_ids=ids) == 11
    assert count(kind="new_rural_culture", holder_type="unit", year=2020, unit_ids=ids) == 6
    # 46 is a real filter: more organisations exist and some were assessed and not certified.
    organizations = Dossier.objects.filter(year=2020, holder_type="organization")
    assert organizations.count() > 46 and organizations.filter(result="not_met").exists()
    # Every ward/commune holds the ≥ 70% share of certified residential areas.
    for slug in ("phuong-1", "tan-my-chanh", "phuong-8"):
        certified, total = selectors.residential_area_share(
            unit_id=demo[slug].pk, kind="antt_safe", year=2020
        )
        assert total == 5 and certified * 100 >= 70 * total


def test_demo_proposals_agree_with_the_decisions(demo):
    for dossier in Dossier.objects.filter(status="decided", year__in=[2015, 2020]):
        assert selectors.evaluate_dossier(dossier).result == dossier.result, dossier


def test_demo_figures_read_off_the_pages(demo, client):
    client.force_login(User.objects.get(username="leader"))
    page = client.get(reverse("certifications:overview")).content.decode()
    row = page[page.index('<th scope="row"><a href="/danh-hieu/ho-so/?year=2020">') :]
    row = row[: row.index("</tr>")]
    figures = dict(re.findall(r'data-figure="([\w-]+)">(?:<a [^>]*>)?([\d/.]+)', row))
    assert figures["units-safe"] == "17/17"
    assert figures["organizations-safe"] == "46"
    assert figures["wards-civilized"] == "11/11"
    assert figures["communes-rural"] == "6/6"
    titles = client.get(reverse("certifications:organization_titles") + "?year=2020&result=met")
    assert "46 đơn vị đạt danh hiệu năm 2020" in titles.content.decode()
    risk = client.get(reverse("certifications:organization_titles") + "?year=2020&at_risk=on")
    assert "4 đơn vị có nguy cơ" in risk.content.decode()


def test_demo_has_awards_festivals_and_work_in_progress(demo):
    assert Award.objects.filter(form="commemorative_medal").count() == 2
    assert Award.objects.filter(recipient_type="model_site").exists()
    assert FestivalDay.objects.filter(unit__slug="tp-my-tho").count() == 6
    assert Dossier.objects.filter(year=2021, status="submitted").count() == 3


def test_demo_loader_is_idempotent(demo):
    before = (Dossier.objects.count(), Award.objects.count(), FestivalDay.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (Dossier.objects.count(), Award.objects.count(), FestivalDay.objects.count()) == before
