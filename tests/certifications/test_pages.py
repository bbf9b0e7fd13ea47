"""List, history and hook pages: real numbers, scoping, and query counts that do not grow."""

import datetime

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.certifications import selectors, services
from campaigns.certifications.models import Award, FestivalDay, Incident, Person
from tests.certifications.factories import decided_dossier
from tests.factories import OrganizationFactory, ResidentialAreaFactory, UnitFactory, UserFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def _populate(city, units: int, start: int = 0) -> list:
    """``units`` wards, each with 4 areas, 3 organisations, titles 2019–2020, an award,
    a Ngày hội, an incident and a scoring sheet."""
    made = []
    for n in range(start, start + units):
        unit = UnitFactory(parent=city, name=f"Phường T{n}", slug=f"phuong-t-{n}")
        official = UserFactory(role="official", unit=unit, username=f"official-t{n}")
        areas = [ResidentialAreaFactory(unit=unit, name=f"Khu phố {i}") for i in range(4)]
        organizations = [
            OrganizationFactory(unit=unit, kind="agency", name=f"Cơ quan {n}-{i}") for i in range(3)
        ]
        for year in (2019, 2020):
            for area in areas[:3]:
                decided_dossier(area, year=year)
            decided_dossier(unit, year=year)
            decided_dossier(unit, year=year, kind="civilized_urban")
            for org in organizations[:2]:
                decided_dossier(org, year=year, met=year == 2020 or org != organizations[0])
        Incident.objects.create(
            organization=organizations[2], year=2020, kind="fire_explosion", description="x"
        )
        person = Person.objects.create(full_name=f"Người {n}", unit=unit)
        Award.objects.create(
            form="commendation",
            issuer="UBND",
            decision_number=f"{n}/QĐ",
            decision_date=D(2020, 8, 19),
            recipient_type="person",
            recipient_person=person,
            unit=unit,
            period_start_year=2020,
            period_end_year=2020,
            occasion="festival_day",
        )
        festival = FestivalDay.objects.create(unit=unit, year=2020, held_on=D(2020, 8, 19))
        festival.showcase_areas.set(areas[:2])
        sheet = services.classification_create(user=official, holder=unit, year=2020)
        sheet.scores.update(self_points=5)
        made.append(unit)
    return made


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


# Each page's queries, pinned exactly and named (healthchecks style); the approver's ground
# comes from the recorded unit changes. A query per row, or any new query, breaks them.
_HEAD = ["session", "user", "the approver's ground (recorded unit changes)"]
_BELL = "unread notifications (the bell)"
OVERVIEW_QUERIES = [
    *_HEAD,
    "the units in scope (ids)",
    "the years with dossiers",
    "the units existing in those years (kind, dates)",
    "the residential areas' dates (the share criterion)",
    "dossier counts by year, kind and holder type",
    _BELL,
]
ORGANIZATION_TITLES_QUERIES = [
    *_HEAD,
    "the organisations listed, with their unit",
    "their dossiers by year",
    "their incidents",
    _BELL,
    "the unit filter's choices",
]
DOSSIER_LIST_QUERIES = [
    *_HEAD,
    "count of the dossiers (pagination)",
    _BELL,
    "the unit filter's choices",
    "the page of dossiers, with holder and unit",
]
CLASSIFICATION_LIST_QUERIES = [
    *_HEAD,
    "the scoring sheets of the year, with their holder",
    "their scores",
    "the level thresholds",
    _BELL,
]
AWARD_LIST_QUERIES = [*_HEAD, "count of the awards (pagination)", _BELL, "the page of awards"]
FESTIVAL_LIST_QUERIES = [
    *_HEAD,
    "count of the Ngày hội (pagination)",
    "may the user add one (a unit of theirs alive today)",
    _BELL,
    "the page of Ngày hội, with their unit",
    "their showcase residential areas",
    "the units of those areas",
    "their showcase model sites (none here: with sites, their models and units add two)",
]
INCIDENT_LIST_QUERIES = [
    *_HEAD,
    "count of the incidents (pagination)",
    "may the user add one (an organisation of theirs alive today)",
    _BELL,
    "the page of incidents, with organisation and unit",
]
PAGES = [
    ("overview", None, OVERVIEW_QUERIES),
    ("organization_titles", "?year=2020", ORGANIZATION_TITLES_QUERIES),
    ("dossier_list", "?year=2020", DOSSIER_LIST_QUERIES),
    ("dossier_list", "", DOSSIER_LIST_QUERIES),
    ("classification_list", "?year=2020", CLASSIFICATION_LIST_QUERIES),
    ("award_list", "", AWARD_LIST_QUERIES),
    ("festival_list", "", FESTIVAL_LIST_QUERIES),
    ("incident_list", "", INCIDENT_LIST_QUERIES),
]
UNIT_HISTORY_QUERIES = [
    *_HEAD,
    "the unit, with its parents",
    "the years with dossiers",
    "the unit's own dossiers by year and kind",
    "dossier counts per unit, year and holder type",
    "the residential areas' dates (the share criterion)",
    "the scoring sheets by year",
    "the level thresholds",
    "award counts by year",
    "the residential areas listed",
    "their dossiers by year",
    _BELL,
]


@pytest.mark.parametrize(("name", "query", "queries"), PAGES)
def test_city_lists_keep_a_constant_query_count(login, approver, city, name, query, queries):
    _populate(city, 2)
    client = login(approver)
    url = reverse(f"certifications:{name}") + (query or "")
    small = _queries(client, url)
    _populate(city, 8, start=2)
    large = _queries(client, url)
    assert large == small, f"{name}: {small} queries with 2 units, {large} with 10"
    assert large == len(queries), f"{name}: {large} queries, {len(queries)} named"


def test_unit_history_keeps_a_constant_query_count(login, approver, city):
    unit = _populate(city, 1)[0]
    client = login(approver)
    url = reverse("certifications:unit_history", args=[unit.slug])
    small = _queries(client, url)
    for year in (2015, 2016, 2017, 2018):
        for area in unit.residential_areas.all():
            decided_dossier(area, year=year)
        decided_dossier(unit, year=year)
    extra = ResidentialAreaFactory(unit=unit, name="Khu phố mới")
    decided_dossier(extra, year=2020)
    large = _queries(client, url)
    assert large == small == len(UNIT_HISTORY_QUERIES)


def test_unit_history_shows_years_by_titles(login, official_a, unit_a):
    areas = [ResidentialAreaFactory(unit=unit_a, name=f"Khu phố {i}") for i in range(1, 6)]
    for area in areas[:4]:
        decided_dossier(area, year=2020)
    decided_dossier(areas[4], year=2020, met=False)
    decided_dossier(unit_a, year=2020)
    decided_dossier(unit_a, year=2020, kind="civilized_urban")
    decided_dossier(unit_a, year=2019, met=False)
    page = login(official_a).get(reverse("certifications:unit_history", args=[unit_a.slug]))
    text = page.content.decode()
    row_2020 = text[text.index('<th scope="row">2020</th>') :][:900]
    assert row_2020.count(">Đạt<") == 2  # ANTT and văn minh đô thị
    assert "4/5" in row_2020 and "(80%)" in row_2020
    row_2019 = text[text.index('<th scope="row">2019</th>') :][:400]
    assert "Chưa đạt" in row_2019


def test_other_units_history_is_not_found(login, official_b, unit_a):
    url = reverse("certifications:unit_history", args=[unit_a.slug])
    assert login(official_b).get(url).status_code == 404


def test_organisation_titles_filter_by_kind_unit_year_and_result(
    login, approver, unit_a, unit_b, school_a, enterprise_a
):
    school_b = OrganizationFactory(
        unit=unit_b, kind="school", school_level="primary", name="TH Hai"
    )
    decided_dossier(school_a, year=2020)
    decided_dossier(enterprise_a, year=2020, met=False)
    decided_dossier(school_b, year=2020)
    decided_dossier(school_b, year=2019, met=False)
    client = login(approver)
    url = reverse("certifications:organization_titles")

    def names(query):
        rows = selectors.organization_titles(
            unit_ids=[unit_a.pk, unit_b.pk], years=[2020], year=2020
        )
        assert rows  # the selector itself returns everything
        page = client.get(url + query).content.decode()
        return {n for n in ("Trường THCS Một", "Công ty Một", "TH Hai") if n in page}

    assert names("?year=2020") == {"Trường THCS Một", "Công ty Một", "TH Hai"}
    assert names("?year=2020&result=met") == {"Trường THCS Một", "TH Hai"}
    assert names("?year=2020&result=not_met") == {"Công ty Một"}
    assert names("?year=2020&kind=school") == {"Trường THCS Một", "TH Hai"}
    assert names(f"?year=2020&unit={unit_b.pk}") == {"TH Hai"}
    assert names("?year=2019&result=none") == {"Trường THCS Một", "Công ty Một"}
    page = client.get(url + "?year=2020&result=met").content.decode()
    assert "2 đơn vị đạt danh hiệu năm 2020" in page


def test_official_sees_only_own_units_organisations(login, official_a, school_a, unit_b):
    OrganizationFactory(unit=unit_b, name="Cơ quan Hai")
    page = login(official_a).get(reverse("certifications:organization_titles")).content.decode()
    assert "Trường THCS Một" in page and "Cơ quan Hai" not in page


def test_unit_page_section_shows_titles_in_constant_queries(login, official_a, unit_a, city):
    _populate(city, 1)
    decided_dossier(unit_a, year=2020)
    template = Template("{% load certifications_tags %}{% certification_unit_section unit %}")
    with CaptureQueriesContext(connection) as small:
        template.render(Context({"unit": unit_a}))
    for year in range(2014, 2020):
        decided_dossier(unit_a, year=year)
        ResidentialAreaFactory(unit=unit_a, name=f"KP {year}")
    with CaptureQueriesContext(connection) as large:
        html = template.render(Context({"unit": unit_a}))
    assert len(small) == len(large) <= 6
    assert "2020" in html and "Toàn bộ quá trình đạt danh hiệu" in html
    page = login(official_a).get(unit_a.get_absolute_url()).content.decode()
    assert "Danh hiệu và phân loại phong trào" in page


def test_home_shows_officials_their_dossiers_and_approvers_what_awaits(
    login, official_a, approver, unit_a, city
):
    area = ResidentialAreaFactory(unit=unit_a, name="Khu phố 7")
    year = datetime.date.today().year - 5
    draft = services.dossier_create(
        user=official_a, holder=area, kind="antt_safe", year=year, registered_on=D(year, 1, 9)
    )
    home = login(official_a).get(reverse("home")).content.decode()
    assert "Khu phố 7" in home and draft.get_absolute_url() in home
    draft.assessments.update(met=True)
    services.dossier_submit(dossier=draft, user=official_a)
    home = login(approver).get(reverse("home")).content.decode()
    assert "Hồ sơ chờ quyết định công nhận" in home
    assert reverse("certifications:dossier_decide", args=[draft.pk]) in home


def test_home_hook_keeps_a_constant_query_count(approver, city):
    template = Template("{% load certifications_tags %}{% certification_home %}")

    def submitted_dossiers(units):
        for unit in units:
            user = unit.members.get()
            area = unit.residential_areas.first()
            dossier = services.dossier_create(
                user=user, holder=area, kind="antt_safe", year=2021, registered_on=D(2021, 1, 9)
            )
            dossier.assessments.update(met=True)
            services.dossier_submit(dossier=dossier, user=user)

    def fresh():
        # A user object per measurement, as each request has one (its ground is cached on it).
        return type(approver).objects.get(pk=approver.pk)

    submitted_dossiers(_populate(city, 1))
    user = fresh()
    with CaptureQueriesContext(connection) as small:
        template.render(Context({"user": user}))
    submitted_dossiers(_populate(city, 6, start=1))
    user = fresh()
    with CaptureQueriesContext(connection) as large:
        html = template.render(Context({"user": user}))
    # Awaiting decision (2) and the latest year's figures (5).
    assert len(small) == len(large) <= 8  # 7, and the approver's ground
    assert html.count("/quyet-dinh/") == 7
    assert "Năm 2020: 7/7 phường, xã đạt An toàn về ANTT; 14 cơ quan" in html


PREPARE_QUERIES = [
    "session",
    "user",
    "the units that may hold a title, with their parents",
    "their residential areas",
    "their organisations",
    "the dossiers of the year",
    "the rule sets in force",
    "their eligibility exclusions",
    "unread notifications (the bell)",
    "the unit filter's choices",
]


def test_prepare_board_keeps_a_constant_query_count(login, admin_user, city):
    _populate(city, 2)
    client = login(admin_user)
    url = reverse("certifications:prepare") + "?year=2022"
    small = _queries(client, url)
    _populate(city, 8, start=2)
    OrganizationFactory(unit=city, kind="school", school_level="primary", name="TH Thành phố")
    large = _queries(client, url)
    assert large == small == len(PREPARE_QUERIES)
    page = client.get(url).content.decode()
    assert page.count("Lập hồ sơ</a>") >= 10 * (1 + 4 + 3)
    assert "đối với trường tiểu học" in page
