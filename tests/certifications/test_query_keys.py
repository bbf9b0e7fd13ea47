"""Pages read English query keys (``year``, ``unit``, ``kind``, ``person``) and emit only them;
links bookmarked with the former Vietnamese keys (``nam``, ``don-vi``, ``loai``, ``ca-nhan``)
still work (issue 14)."""

import pytest
from django.urls import reverse

from campaigns.certifications.models import Person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("key", ["year", "nam"])
def test_preparation_board_reads_the_year(login, official_a, key):
    board = login(official_a).get(reverse("certifications:prepare"), {key: "2022"})
    assert board.context["year"] == 2022


@pytest.mark.parametrize("key", ["unit", "don-vi"])
def test_preparation_board_keeps_to_the_unit_chosen(login, admin_user, unit_a, unit_b, key):
    board = login(admin_user).get(reverse("certifications:prepare"), {key: unit_b.pk})
    assert [row.holder for _slug, row in board.context["rows"]] == [unit_b]


def test_the_unit_chosen_stays_selected_in_the_filter(login, admin_user, unit_a, unit_b):
    board = login(admin_user).get(reverse("certifications:prepare"), {"unit": unit_b.pk})
    assert f'<option value="{unit_b.pk}" selected>' in board.content.decode()
    assert f'<option value="{unit_a.pk}" selected>' not in board.content.decode()


def test_the_english_key_wins_over_the_old_one(login, official_a):
    board = login(official_a).get(reverse("certifications:prepare"), {"year": 2022, "nam": 2021})
    assert board.context["year"] == 2022


@pytest.mark.parametrize(("year_key", "kind_key"), [("year", "kind"), ("nam", "loai")])
def test_opening_a_dossier_reads_the_year_and_the_title(
    login, official_a, unit_a, year_key, kind_key
):
    url = reverse("certifications:dossier_create", args=["don-vi", unit_a.pk])
    page = login(official_a).get(url, {year_key: "2021", kind_key: "civilized_urban"})
    assert page.context["year"] == 2021
    assert page.context["form"].initial["kind"] == "civilized_urban"


@pytest.mark.parametrize("key", ["year", "nam"])
def test_classification_list_reads_the_year(login, approver, key):
    page = login(approver).get(reverse("certifications:classification_list"), {key: "2019"})
    assert page.context["year"] == 2019


@pytest.mark.parametrize("key", ["year", "nam"])
def test_opening_a_scoring_sheet_reads_the_year(login, official_a, unit_a, key):
    url = reverse("certifications:classification_create", args=["don-vi", unit_a.pk])
    page = login(official_a).get(url, {key: "2019"})
    assert page.context["form"].initial["year"] == 2019


@pytest.mark.parametrize("key", ["person", "ca-nhan"])
def test_recording_an_award_reads_the_person(login, approver, unit_a, key):
    person = Person.objects.create(full_name="Nguyễn Văn A", birth_year=1970, unit=unit_a)
    page = login(approver).get(reverse("certifications:award_create"), {key: person.pk})
    assert page.context["form"].initial["recipient_person"] == person.pk


def test_adding_a_person_leads_to_the_award_form_with_the_english_key(login, approver, unit_a):
    response = login(approver).post(
        reverse("certifications:person_create"),
        {"full_name": "Trần Thị B", "birth_year": 1995, "position": "", "unit": unit_a.pk},
    )
    person = Person.objects.get(full_name="Trần Thị B")
    assert response.url == reverse("certifications:award_create") + f"?person={person.pk}"


def test_pages_emit_only_the_english_keys(login, admin_user, unit_a, area_a):
    client = login(admin_user)
    board = client.get(reverse("certifications:prepare"), {"year": 2022}).content.decode()
    assert 'name="year"' in board and 'name="unit"' in board
    assert "?year=2022&amp;kind=antt_safe" in board
    sheets = client.get(reverse("certifications:classification_list"), {"year": 2022})
    assert f"/{unit_a.pk}/?year=2022" in sheets.content.decode()
    for html in (board, sheets.content.decode()):
        for old in ('name="nam"', 'name="don-vi"', "?nam=", "loai=", "ca-nhan="):
            assert old not in html
