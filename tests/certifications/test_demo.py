"""The demo data agrees with the seed article, and the figures can be read off the pages."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from campaigns.certifications import selectors
from campaigns.certifications.models import Award, Dossier, FestivalDay, MovementClassification
from wards.demo import NEW_WARDS
from wards.models import AdministrativeUnit, User

pytestmark = pytest.mark.django_db
NEW_SLUGS = [slug for slug, *_ in NEW_WARDS]


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
    assert Award.objects.filter(form="commemorative_medal", decision_date__year=2020).count() == 2
    assert Award.objects.filter(recipient_type="model_site").exists()
    city_days = FestivalDay.objects.filter(unit__slug="tp-my-tho")
    assert city_days.filter(year__lte=2020).count() == 6
    # The city held the Ngày hội until 2024; since 2025 each of the five wards holds its own.
    assert sorted(city_days.values_list("year", flat=True)) == list(range(2015, 2025))
    assert FestivalDay.objects.filter(year=2026, unit__slug__in=NEW_SLUGS).count() == 5
    assert Award.objects.filter(decision_date__year=2026, unit__slug__in=NEW_SLUGS).count() == 3
    # 2026 is in progress: some decided, some awaiting a decision, some being prepared.
    statuses = set(Dossier.objects.filter(year=2026).values_list("status", flat=True))
    assert statuses == {"decided", "submitted", "draft"}
    assert not Dossier.objects.filter(year=2021).exclude(status="decided").exists()


def test_demo_years_2021_2026_follow_the_units_and_rule_sets_of_each_year(demo):
    units = Dossier.objects.filter(holder_type="unit", kind="antt_safe")
    for year, expected in ((2021, 17), (2023, 17), (2024, 14), (2025, 5)):
        assert units.filter(year=year).count() == expected, year
    assert not units.filter(year=2024, unit__slug__in=["phuong-3", "phuong-7", "phuong-8"])
    assert set(units.filter(year=2025).values_list("unit__slug", flat=True)) == set(NEW_SLUGS)
    # TT 23/2012 assesses 2021, TT 124/2021 from 2022; TT 17/2011 ("văn hóa nông thôn mới")
    # ended with 2022, and TT 124 does not assess primary schools.
    antt = Dossier.objects.filter(kind="antt_safe")
    assert set(antt.filter(year=2021).values_list("rule_set__code", flat=True)) == {
        "tt-23-2012-antt"
    }
    assert set(antt.filter(year=2025).values_list("rule_set__code", flat=True)) == {
        "tt-124-2021-antt"
    }
    rural = Dossier.objects.filter(kind="new_rural_culture")
    assert rural.filter(year=2022).count() == 6 and not rural.filter(year__gte=2023).exists()
    assert not antt.filter(year__gte=2022, organization__school_level="primary").exists()
    assert antt.filter(year=2021, organization__school_level="primary").exists()
    # 2025–2026 dossiers have holders in today's wards: carried-over organisations and areas.
    school = Dossier.objects.get(
        year=2025, organization__name="Trường THPT Nguyễn Đình Chiểu", kind="antt_safe"
    )
    assert school.unit.slug == "phuong-my-tho"
    assert Dossier.objects.filter(year=2026, residential_area__unit__slug="phuong-trung-an")
    # Decided by the city police up to 2024, by the provincial police from 2025.
    deciders = Dossier.objects.filter(status="decided").values_list("year", "decided_by__username")
    assert {u for y, u in deciders if y <= 2024} == {"approver-tp"}
    assert {u for y, u in deciders if y >= 2025} == {"approver"}
    for dossier in Dossier.objects.filter(status="decided", year__in=[2021, 2022, 2025]):
        assert selectors.evaluate_dossier(dossier).result == dossier.result, dossier


def test_demo_classification_goes_on_to_2026(demo):
    sheets = MovementClassification.objects.filter(holder_type="unit")
    assert sheets.filter(year=2024, status="approved").count() == 14
    assert sheets.filter(year=2025, status="approved").count() == 5
    assert sorted(sheets.filter(year=2026).values_list("status", flat=True)) == [
        "draft",
        "submitted",
        "submitted",
    ]


def test_demo_loader_is_idempotent(demo):
    before = (Dossier.objects.count(), Award.objects.count(), FestivalDay.objects.count())
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert (Dossier.objects.count(), Award.objects.count(), FestivalDay.objects.count()) == before
    assert "Danh hiệu 2020: 17/17 phường, xã An toàn về ANTT; 46 cơ quan" in out.getvalue()
    assert "Năm 2026 (đang xét, 5 phường)" in out.getvalue()
