"""Register, replicate, review (propose and confirm) and retire, through the services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from models_registry import services
from models_registry.models import ModelSite, PreventionModel, SiteEvaluation
from tests.factories import UnitFactory
from tests.models_registry.factories import ModelSiteFactory, SiteEvaluationFactory

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2020, 12, 1)


def test_approver_registers_a_model_with_its_first_site(approver, unit_a):
    model = services.register_model(
        user=approver,
        name="Tổ tự quản đường phố",
        category="self_management",
        lead_organisation="fatherland_front",
        origin_unit=unit_a,
        start_date=D(2019, 4, 1),
    )
    assert model.slug == "to-tu-quan-duong-pho"
    site = model.sites.get()
    assert (site.unit, site.start_date, site.status) == (unit_a, D(2019, 4, 1), "active")


def test_slug_keeps_the_d_of_vietnamese_names():
    assert services.vietnamese_slug("Đội dân phòng Đạo Thạnh") == "doi-dan-phong-dao-thanh"


@pytest.mark.parametrize("who", ["official_a", "leader"])
def test_only_the_approver_registers_models(who, request, unit_a):
    with pytest.raises(PermissionDenied):
        services.register_model(
            user=request.getfixturevalue(who),
            name="X",
            category="other",
            lead_organisation="other",
            origin_unit=unit_a,
            start_date=D(2019, 1, 1),
        )
    assert not PreventionModel.objects.exists()


def test_official_replicates_into_own_unit_only(official_a, model, unit_b):
    with pytest.raises(PermissionDenied):
        services.replicate_model(
            user=official_a, model=model, unit=unit_b, start_date=D(2018, 1, 1)
        )
    assert not model.sites.filter(unit=unit_b).exists()


def test_approver_replicates_to_a_unit(approver, model, unit_b):
    site = services.replicate_model(
        user=approver, model=model, unit=unit_b, start_date=D(2018, 1, 1), households=80
    )
    assert (site.unit, site.households, site.status) == (unit_b, 80, "active")


def test_replication_to_a_unit_that_has_a_site_is_refused(approver, model, unit_a):
    with pytest.raises(ValidationError) as caught:
        services.replicate_model(user=approver, model=model, unit=unit_a, start_date=D(2019, 1, 1))
    error = caught.value
    assert error.error_dict["unit"][0].code == "already_replicated"
    message = error.error_dict["unit"][0].messages[0]
    assert "Phường 1" in message and "Tổ tự quản thử" in message and "01/01/2016" in message
    assert model.sites.count() == 1


def test_the_unique_constraint_backs_the_one_site_rule(model, unit_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        ModelSite.objects.create(model=model, unit=unit_a, start_date=D(2019, 1, 1))
    assert model.sites.count() == 1


def test_a_retired_site_lets_the_unit_take_the_model_up_again(approver, model, site_a, unit_a):
    services.retire_site(user=approver, site=site_a, retired_on=D(2018, 1, 1), reason="Ngừng")
    with pytest.raises(ValidationError) as caught:  # not while the old one still ran
        services.replicate_model(user=approver, model=model, unit=unit_a, start_date=D(2017, 6, 1))
    assert caught.value.error_dict["start_date"][0].code == "overlaps_retired_site"
    again = services.replicate_model(
        user=approver, model=model, unit=unit_a, start_date=D(2019, 1, 1)
    )
    assert model.sites.filter(unit=unit_a).count() == 2
    assert again.status == "active" and ModelSite.objects.get(pk=site_a.pk).status == "retired"
    # The database agrees: two retired sites and one active are fine, two active are not.
    with pytest.raises(IntegrityError), transaction.atomic():
        ModelSite.objects.create(model=model, unit=unit_a, start_date=D(2020, 1, 1))


def test_a_site_cannot_start_before_its_model_or_outside_its_unit(approver, model, city):
    new = UnitFactory(parent=city, valid_from=D(2025, 7, 1))
    with pytest.raises(ValidationError) as caught:
        services.replicate_model(user=approver, model=model, unit=new, start_date=D(2015, 1, 1))
    assert "01/01/2016" in caught.value.error_dict["start_date"][0].messages[0]
    with pytest.raises(ValidationError) as caught:
        services.replicate_model(user=approver, model=model, unit=new, start_date=D(2018, 2, 1))
    assert caught.value.error_dict["start_date"][0].messages == [
        f"{new.name} không tồn tại vào ngày này (đơn vị tồn tại từ 01/07/2025 đến …)."
    ]
    assert not model.sites.filter(unit=new).exists()


def test_no_site_is_added_in_a_unit_that_has_ended(approver, model, city):
    gone = UnitFactory(parent=city, valid_to=D(2017, 12, 31))
    with pytest.raises(ValidationError) as caught:
        services.replicate_model(user=approver, model=model, unit=gone, start_date=D(2017, 2, 1))
    assert caught.value.error_dict["unit"][0].code == "unit_closed"
    assert not model.sites.filter(unit=gone).exists()


def test_official_proposes_and_approver_confirms(official_a, approver, site_a):
    evaluation = services.propose_evaluation(
        user=official_a, site=site_a, year=2020, grade="average", tip_offs=4, today=TODAY
    )
    assert (evaluation.status, evaluation.proposed_by) == ("proposed", official_a)
    # The unit may revise its proposal until the city confirms.
    evaluation = services.propose_evaluation(
        user=official_a, site=site_a, year=2020, grade="good", tip_offs=5, today=TODAY
    )
    assert SiteEvaluation.objects.count() == 1 and evaluation.tip_offs == 5
    confirmed = services.confirm_evaluation(user=approver, evaluation=evaluation, grade="average")
    assert (confirmed.status, confirmed.grade, confirmed.confirmed_by) == (
        "confirmed",
        "average",
        approver,
    )
    assert confirmed.confirmed_at is not None
    with pytest.raises(ValidationError):
        services.propose_evaluation(
            user=official_a, site=site_a, year=2020, grade="weak", today=TODAY
        )
    assert SiteEvaluation.objects.get().grade == "average"


@pytest.mark.parametrize("who", ["official_b", "approver", "leader"])
def test_only_the_sites_unit_proposes(who, request, site_a):
    with pytest.raises(PermissionDenied):
        services.propose_evaluation(
            user=request.getfixturevalue(who), site=site_a, year=2020, grade="good", today=TODAY
        )
    assert not SiteEvaluation.objects.exists()


@pytest.mark.parametrize("who", ["official_a", "leader"])
def test_only_the_approver_confirms(who, request, site_a):
    evaluation = SiteEvaluationFactory(site=site_a, status="proposed")
    with pytest.raises(PermissionDenied):
        services.confirm_evaluation(user=request.getfixturevalue(who), evaluation=evaluation)
    assert SiteEvaluation.objects.get().status == "proposed"


def test_a_year_outside_the_sites_life_is_refused(official_a, site_a):
    with pytest.raises(ValidationError) as caught:
        services.propose_evaluation(
            user=official_a, site=site_a, year=2015, grade="good", today=TODAY
        )
    assert caught.value.error_dict["year"][0].code == "year_out_of_range"
    with pytest.raises(ValidationError):
        services.propose_evaluation(
            user=official_a, site=site_a, year=2021, grade="good", today=TODAY
        )


def test_retiring_a_site_needs_a_date_after_its_start_and_a_reason(official_a, site_a):
    with pytest.raises(ValidationError) as caught:
        services.retire_site(user=official_a, site=site_a, retired_on=D(2015, 12, 31), reason="")
    assert set(caught.value.error_dict) == {"retired_on", "reason"}
    site_a.refresh_from_db()
    assert (site_a.status, site_a.retired_on) == ("active", None)
    services.retire_site(user=official_a, site=site_a, retired_on=D(2019, 1, 1), reason="Giải thể")
    site_a.refresh_from_db()
    assert (site_a.status, site_a.retired_on, site_a.retire_reason) == (
        "retired",
        D(2019, 1, 1),
        "Giải thể",
    )


def test_a_graded_year_after_the_retirement_is_refused(approver, site_a):
    SiteEvaluationFactory(site=site_a, year=2020, status="proposed")
    with pytest.raises(ValidationError) as caught:
        services.retire_site(user=approver, site=site_a, retired_on=D(2019, 3, 1), reason="x")
    assert caught.value.error_dict["retired_on"][0].code == "graded_after_retirement"


def test_officials_retire_only_their_own_units_sites(official_b, leader, site_a):
    for user in (official_b, leader):
        with pytest.raises(PermissionDenied):
            services.retire_site(user=user, site=site_a, retired_on=D(2019, 1, 1), reason="x")
    assert ModelSite.objects.get(pk=site_a.pk).status == "active"


def test_retiring_a_model_retires_its_running_sites(approver, model, site_a, site_b, city):
    services.retire_model(
        user=approver, model=model, retired_on=D(2020, 1, 1), reason="Hết hiệu quả"
    )
    model.refresh_from_db()
    assert (model.status, model.retired_on) == ("retired", D(2020, 1, 1))
    assert set(model.sites.values_list("status", "retired_on").distinct()) == {
        ("retired", D(2020, 1, 1))
    }
    with pytest.raises(ValidationError):
        services.replicate_model(
            user=approver, model=model, unit=UnitFactory(parent=city), start_date=D(2020, 6, 1)
        )


def test_a_model_cannot_be_retired_before_a_site_started(approver, model, site_b):
    with pytest.raises(ValidationError) as caught:
        services.retire_model(user=approver, model=model, retired_on=D(2016, 6, 1), reason="x")
    assert caught.value.error_dict["retired_on"][0].code == "site_starts_later"
    assert PreventionModel.objects.get(pk=model.pk).status == "active"
    assert not ModelSite.objects.filter(status="retired").exists()


def test_check_constraints_reject_bad_rows(model, unit_b):
    bad = [
        {"households": -1},
        {"cameras": -3},
        {"funding_socialized": -1},
        {"status": "retired", "retired_on": D(2015, 1, 1)},  # before the start
        {"status": "retired"},  # without a date
        {"status": "closed"},
    ]
    for fields in bad:
        with pytest.raises(IntegrityError), transaction.atomic():
            ModelSiteFactory(model=model, unit=unit_b, start_date=D(2016, 6, 1), **fields)
    assert not model.sites.filter(unit=unit_b).exists()
