"""Pages: who may open what, the happy paths with real numbers, and bad input."""

import datetime
import re

import pytest
from django.urls import reverse

from models_registry.models import ModelSite, PreventionModel, SiteEvaluation
from tests.factories import UserFactory
from tests.models_registry.factories import (
    ModelSiteFactory,
    PreventionModelFactory,
    SiteEvaluationFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def _url(name, *args):
    return reverse(f"models_registry:{name}", args=args)


def _errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


@pytest.fixture
def other_model(unit_b):
    """A model that runs in unit B only (unit A may take it up)."""
    model = PreventionModelFactory(
        name="Camera an ninh thử",
        slug="camera-thu",
        category="camera",
        origin_unit=unit_b,
        start_date=D(2016, 3, 1),
    )
    ModelSiteFactory(model=model, unit=unit_b, start_date=D(2016, 3, 1), cameras=30)
    return model


def _site_post(**overrides):
    data = {
        "decision_number": "12/QĐ-UBND",
        "decision_date": "2020-02-20",
        "start_date": "2020-03-01",
        "households": "150",
        "members": "18",
        "teams": "3",
        "cameras": "24",
        "funding_state": "0",
        "funding_socialized": "84.000.000",
        "note": "",
    }
    data.update(overrides)
    return data


# --- who may open what --------------------------------------------------------------------------


def _all_urls(model, site, evaluation):
    return [
        _url("registry"),
        _url("camera_totals"),
        _url("evaluation_queue"),
        _url("model_register"),
        _url("model_detail", model.slug),
        _url("model_edit", model.slug),
        _url("model_retire", model.slug),
        _url("site_create", model.slug),
        _url("site_detail", site.pk),
        _url("site_edit", site.pk),
        _url("site_retire", site.pk),
        _url("evaluation_propose", site.pk),
        _url("evaluation_confirm", evaluation.pk),
    ]


def test_anonymous_is_sent_to_login_everywhere(client, model, site_a):
    evaluation = SiteEvaluationFactory(site=site_a, status="proposed")
    for url in _all_urls(model, site_a, evaluation):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


def test_an_account_without_a_role_is_refused(login, unit_a, model):
    nobody = UserFactory(role="", unit=None)
    assert login(nobody).get(_url("registry")).status_code == 403


def test_official_of_another_unit_cannot_edit_unit_a(login, official_b, model, site_a):
    evaluation = SiteEvaluationFactory(site=site_a, status="proposed")
    client = login(official_b)
    for name in ("site_edit", "site_retire", "evaluation_propose"):
        assert client.get(_url(name, site_a.pk)).status_code == 404, name
        assert client.post(_url(name, site_a.pk), {"households": 1}).status_code == 404, name
    for url in (
        _url("model_register"),
        _url("model_edit", model.slug),
        _url("model_retire", model.slug),
        _url("evaluation_confirm", evaluation.pk),
    ):
        assert client.get(url).status_code == 403, url
    site_a.refresh_from_db()
    assert site_a.households == 120
    assert SiteEvaluation.objects.get().status == "proposed"


def test_leader_reads_everything_and_changes_nothing(login, leader, model, site_a):
    evaluation = SiteEvaluationFactory(site=site_a, status="proposed")
    client = login(leader)
    for url in (
        _url("registry"),
        _url("camera_totals"),
        _url("evaluation_queue"),
        _url("model_detail", model.slug),
        _url("site_detail", site_a.pk),
    ):
        assert client.get(url).status_code == 200, url
    for name in ("site_edit", "evaluation_propose"):
        assert client.post(_url(name, site_a.pk), {}).status_code == 404, name
    for url in (
        _url("site_retire", site_a.pk),
        _url("site_create", model.slug),
        _url("model_register"),
        _url("model_retire", model.slug),
        _url("evaluation_confirm", evaluation.pk),
    ):
        assert client.post(url, {}).status_code == 403, url
    response = client.get(_url("site_detail", site_a.pk))
    assert b'href="' + _url("site_edit", site_a.pk).encode() not in response.content
    assert ModelSite.objects.count() == 1 and SiteEvaluation.objects.get().status == "proposed"


def test_another_units_proposal_does_not_leak(
    login, official_b, official_a, approver, model, site_a
):
    SiteEvaluationFactory(
        site=site_a,
        year=2019,
        grade="good",
        status="confirmed",
        confirmed_at="2019-12-20T09:00Z",
        notes="Ghi chú nội bộ",
    )
    SiteEvaluationFactory(site=site_a, year=2020, grade="weak", status="proposed")
    # Another unit's official reads the site and its confirmed grade, without notes or proposals.
    page = login(official_b).get(_url("site_detail", site_a.pk))
    assert [e.year for e in page.context["evaluations"]] == [2019]
    assert "Ghi chú nội bộ" not in page.content.decode()
    detail = login(official_b).get(_url("model_detail", model.slug) + "?year=2020")
    cells = [c.evaluation for _, cells in detail.context["grade_rows"] for c in cells]
    assert {e.year for e in cells if e} == {2019}
    queue = login(official_b).get(_url("evaluation_queue"))
    assert list(queue.context["page"]) == []
    # The unit itself and the city see the proposal.
    for user in (official_a, approver):
        page = login(user).get(_url("site_detail", site_a.pk))
        assert [e.year for e in page.context["evaluations"]] == [2020, 2019]


# --- the registry and a model's page -----------------------------------------------------------


def test_registry_counts_by_the_rule_and_says_it(login, leader, model, site_a, other_model):
    retired = PreventionModelFactory(
        name="Mô hình cũ đã giải thể",
        status="retired",
        start_date=D(2015, 1, 1),
        retired_on=D(2018, 1, 1),
    )
    response = login(leader).get(_url("registry") + "?year=2020")
    content = response.content.decode()
    assert response.context["model_count"] == 2
    assert [r["model"] for r in response.context["rows"]] == [other_model, model]
    assert re.search(r'id="model-count">2<', content)
    assert "Cách đếm: mỗi mô hình chỉ tính một lần dù có nhiều điểm" in content
    assert retired.name not in content
    # Filters: retired ones, by category, by unit, by search.
    retired_page = login(leader).get(_url("registry") + "?year=2020&status=retired")
    assert [r["model"] for r in retired_page.context["rows"]] == [retired]
    cameras = login(leader).get(_url("registry") + "?year=2020&category=camera")
    assert [r["model"] for r in cameras.context["rows"]] == [other_model]
    in_b = login(leader).get(_url("registry") + f"?year=2020&unit={other_model.origin_unit_id}")
    assert [r["model"] for r in in_b.context["rows"]] == [other_model]
    for q in ("tự quản", "TỰ QUẢN", "tu quan"):
        found = login(leader).get(_url("registry") + f"?year=2020&q={q}")
        assert [r["model"] for r in found.context["rows"]] == [model], q


def test_registry_filters_by_grade_of_the_year(login, leader, model, site_a, other_model):
    SiteEvaluationFactory(
        site=site_a, year=2019, grade="weak", status="confirmed", confirmed_at="2019-12-20T09:00Z"
    )
    SiteEvaluationFactory(site=site_a, year=2020, grade="weak", status="proposed")
    weak_2019 = login(leader).get(_url("registry") + "?year=2019&grade=weak")
    assert [r["model"] for r in weak_2019.context["rows"]] == [model]
    # A proposal is not a grade yet.
    weak_2020 = login(leader).get(_url("registry") + "?year=2020&grade=weak")
    assert list(weak_2020.context["rows"]) == []


def test_model_page_shows_coverage_cameras_funding_and_grades(
    login, official_b, model, site_a, site_b
):
    site_b.funding_socialized = 42_000_000
    site_b.save()
    SiteEvaluationFactory(
        site=site_a, year=2019, grade="good", status="confirmed", confirmed_at="2019-12-20T09:00Z"
    )
    SiteEvaluationFactory(
        site=site_b,
        year=2020,
        grade="average",
        status="confirmed",
        confirmed_at="2020-12-20T09:00Z",
    )
    response = login(official_b).get(_url("model_detail", model.slug) + "?year=2020")
    content = response.content.decode()
    coverage = response.context["coverage"]
    assert (coverage.site_count, coverage.covered, coverage.unit_total) == (2, 2, 2)
    assert "2/2 đơn vị" in content
    assert response.context["totals"].cameras == 12
    assert "42.000.000\xa0₫" in content
    assert response.context["years"][-1] == 2020
    grades = {
        (site.unit.slug, cell.year): cell.evaluation.grade
        for site, cells in response.context["grade_rows"]
        for cell in cells
        if cell.evaluation
    }
    assert grades == {("phuong-1", 2019): "good", ("phuong-2", 2020): "average"}


def test_camera_totals_page(login, official_a, other_model, unit_a):
    response = login(official_a).get(_url("camera_totals") + "?year=2020")
    rows = {unit.slug: totals for unit, totals in response.context["rows"]}
    assert (rows["phuong-2"].cameras, rows["phuong-1"].cameras) == (30, 0)
    assert re.search(r'id="camera-total">30<', response.content.decode())


# --- registering and editing sites ---------------------------------------------------------------


def test_official_registers_a_site_of_a_model_in_own_unit(login, official_a, other_model, unit_a):
    response = login(official_a).post(_url("site_create", other_model.slug), _site_post())
    site = ModelSite.objects.get(model=other_model, unit=unit_a)
    assert response.status_code == 302 and response.url == site.get_absolute_url()
    assert (site.households, site.cameras, site.funding_socialized) == (150, 24, 84_000_000)
    assert site.start_date == D(2020, 3, 1) and site.decision_number == "12/QĐ-UBND"


def test_replication_refused_in_the_form_when_the_unit_has_a_site(login, approver, model, unit_a):
    client = login(approver)
    response = client.post(_url("site_create", model.slug), _site_post(unit=unit_a.pk))
    assert response.status_code == 200
    [message] = _errors(response, "unit")
    assert message.startswith("Phường 1 đã có điểm của mô hình “Tổ tự quản thử” (từ 01/01/2016).")
    assert message in response.content.decode()
    assert model.sites.count() == 1


def test_official_sees_no_register_button_when_own_unit_has_a_site(
    login, official_a, model, site_a
):
    response = login(official_a).get(_url("model_detail", model.slug))
    assert response.context["own_site"] == site_a and not response.context["can_add_own_site"]
    # And posting anyway is refused with the message, nothing saved.
    response = login(official_a).post(_url("site_create", model.slug), _site_post())
    assert _errors(response, "__all__")
    assert model.sites.count() == 1


def test_official_edits_own_site(login, official_a, site_a):
    response = login(official_a).post(
        _url("site_edit", site_a.pk),
        _site_post(start_date="2016-01-01", households="210", funding_state="12.500.000"),
    )
    assert response.status_code == 302
    site_a.refresh_from_db()
    assert (site_a.households, site_a.funding_state) == (210, 12_500_000)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("households", "-5", "Số hộ không được âm."),
        ("cameras", "-1", "Số mắt camera không được âm."),
        ("members", "-2", "Số thành viên không được âm."),
        ("teams", "ba", "Nhập một số nguyên."),
        ("funding_socialized", "mười triệu", "Nhập số tiền (đồng) bằng chữ số, ví dụ 15.000.000."),
        ("funding_socialized", "15tr", "Nhập số tiền (đồng) bằng chữ số, ví dụ 15.000.000."),
        ("funding_state", "12,5", "Nhập số tiền (đồng) bằng chữ số, ví dụ 15.000.000."),
        ("funding_state", "-1.000.000", "Số tiền không được âm."),
    ],
)
def test_bad_site_input_is_refused_next_to_the_field(
    login, official_a, other_model, field, value, message
):
    before = list(ModelSite.objects.values_list("pk", "households", "funding_state"))
    response = login(official_a).post(
        _url("site_create", other_model.slug), _site_post(**{field: value})
    )
    assert response.status_code == 200
    assert _errors(response, field) == [message]
    assert message in response.content.decode()
    assert list(ModelSite.objects.values_list("pk", "households", "funding_state")) == before


def test_bad_input_on_an_existing_site_changes_nothing(login, official_a, site_a):
    response = login(official_a).post(
        _url("site_edit", site_a.pk),
        _site_post(start_date="2016-01-01", households="-3", cameras="-4", funding_state="abc"),
    )
    assert _errors(response, "households") == ["Số hộ không được âm."]
    assert _errors(response, "cameras") == ["Số mắt camera không được âm."]
    assert _errors(response, "funding_state")
    site_a.refresh_from_db()
    assert (site_a.households, site_a.cameras, site_a.funding_state) == (120, 0, 0)


def test_site_before_the_model_started_is_refused(login, official_a, other_model):
    response = login(official_a).post(
        _url("site_create", other_model.slug), _site_post(start_date="2015-01-01")
    )
    assert _errors(response, "start_date") == [
        "Điểm không thể bắt đầu trước khi mô hình ra đời (01/03/2016)."
    ]
    assert not other_model.sites.filter(unit=official_a.unit).exists()


# --- retiring ------------------------------------------------------------------------------------


def test_retire_date_before_start_is_refused(login, official_a, site_a):
    response = login(official_a).post(
        _url("site_retire", site_a.pk), {"retired_on": "2015-06-01", "reason": "Giải thể"}
    )
    assert _errors(response, "retired_on") == [
        "Ngày thanh loại không được trước ngày bắt đầu (01/01/2016)."
    ]
    site_a.refresh_from_db()
    assert (site_a.status, site_a.retired_on) == ("active", None)


def test_official_retires_own_site(login, official_a, site_a):
    response = login(official_a).post(
        _url("site_retire", site_a.pk), {"retired_on": "2019-01-01", "reason": "Giải thể"}
    )
    assert response.status_code == 302
    site_a.refresh_from_db()
    assert (site_a.status, site_a.retired_on) == ("retired", D(2019, 1, 1))


def test_approver_retires_a_model(login, approver, model, site_a, site_b):
    response = login(approver).post(
        _url("model_retire", model.slug), {"retired_on": "2020-01-01", "reason": "Hết hiệu quả"}
    )
    assert response.status_code == 302
    assert PreventionModel.objects.get(pk=model.pk).status == "retired"
    assert not ModelSite.objects.filter(status="active").exists()


# --- registering models -------------------------------------------------------------------------


def test_approver_registers_a_model(login, approver, unit_a):
    response = login(approver).post(
        _url("model_register"),
        {
            "name": "Tổ tự quản đường phố",
            "slug": "",
            "category": "self_management",
            "lead_organisation": "fatherland_front",
            "origin_unit": unit_a.pk,
            "start_date": "2019-04-01",
            "description": "",
        },
    )
    model = PreventionModel.objects.get()
    assert response.url == model.get_absolute_url() == "/mo-hinh/to-tu-quan-duong-pho/"
    assert model.sites.get().unit == unit_a


def test_register_refuses_a_duplicate_name_and_a_reserved_slug(login, approver, unit_a, model):
    data = {
        "name": model.name,
        "slug": "dang-ky",
        "category": "other",
        "lead_organisation": "other",
        "origin_unit": unit_a.pk,
        "start_date": "2019-04-01",
    }
    response = login(approver).post(_url("model_register"), data)
    assert _errors(response, "name") and _errors(response, "slug")
    assert PreventionModel.objects.count() == 1


# --- evaluations ---------------------------------------------------------------------------------


def test_propose_then_confirm_through_the_pages(login, official_a, approver, site_a):
    response = login(official_a).post(
        _url("evaluation_propose", site_a.pk),
        {
            "year": "2020",
            "grade": "good",
            "tip_offs": "6",
            "cases_solved": "2",
            "mediations": "3",
            "patrols": "48",
            "notes": "",
        },
    )
    assert response.status_code == 302
    evaluation = SiteEvaluation.objects.get()
    assert (evaluation.status, evaluation.patrols) == ("proposed", 48)
    response = login(approver).post(_url("evaluation_confirm", evaluation.pk), {"grade": "average"})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.grade, evaluation.confirmed_by) == (
        "confirmed",
        "average",
        approver,
    )


def test_negative_results_are_refused(login, official_a, site_a):
    response = login(official_a).post(
        _url("evaluation_propose", site_a.pk),
        {
            "year": "2020",
            "grade": "good",
            "tip_offs": "-1",
            "cases_solved": "0",
            "mediations": "0",
            "patrols": "0",
        },
    )
    assert _errors(response, "tip_offs")
    assert not SiteEvaluation.objects.exists()


def test_registry_lists_models_in_vietnamese_alphabetical_order(login, leader, unit_a):
    names = ["Đội dân phòng", "Ấp không tội phạm", "Dòng họ", "Tổ tự quản", "Tổ tuần tra", "Anh"]
    for name in names:
        model = PreventionModelFactory(name=name, origin_unit=unit_a)
        ModelSiteFactory(model=model, unit=unit_a)
    response = login(leader).get(_url("registry") + "?year=2020")
    assert [r["model"].name for r in response.context["rows"]] == [
        "Anh",
        "Ấp không tội phạm",
        "Dòng họ",
        "Đội dân phòng",
        "Tổ tuần tra",
        "Tổ tự quản",
    ]


def test_editing_a_retired_sites_start_past_its_retirement_is_refused(login, official_a, site_a):
    site_a.status, site_a.retired_on = "retired", D(2018, 1, 1)
    site_a.save()
    response = login(official_a).post(_url("site_edit", site_a.pk), _site_post())
    assert _errors(response, "__all__") == [
        "Ngày thanh loại không được trước ngày bắt đầu (01/03/2020)."
    ]
    assert ModelSite.objects.get(pk=site_a.pk).start_date == D(2016, 1, 1)


def test_a_graded_site_cannot_start_after_its_first_grade(login, official_a, site_a):
    SiteEvaluationFactory(site=site_a, year=2017)
    response = login(official_a).post(_url("site_edit", site_a.pk), _site_post())
    assert _errors(response, "start_date") == [
        "Điểm đã có xếp loại năm 2017; ngày bắt đầu không được sau năm đó."
    ]
    assert ModelSite.objects.get(pk=site_a.pk).start_date == D(2016, 1, 1)
