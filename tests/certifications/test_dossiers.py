"""Dossier pages: who may open, assess, submit and decide, and what bad input does."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from campaigns.certifications import services
from campaigns.certifications.models import CriterionAssessment, Dossier, DossierStatus, Result
from tests.certifications.factories import areas_of, decided_dossier

D = datetime.date
ANTT = "antt_safe"
pytestmark = pytest.mark.django_db


def _create_url(slug, holder, year=2021):
    return reverse("certifications:dossier_create", args=[slug, holder.pk]) + f"?year={year}"


def _post_create(client, slug, holder, **overrides):
    data = {"kind": ANTT, "year": 2021, "registered_on": "2021-02-15", "note": ""}
    data.update(overrides)
    return client.post(reverse("certifications:dossier_create", args=[slug, holder.pk]), data)


@pytest.fixture
def area_dossier(official_a, area_a):
    return services.dossier_create(
        user=official_a, holder=area_a, kind=ANTT, year=2021, registered_on=D(2021, 2, 15)
    )


def _assess_all(dossier, met=True):
    dossier.assessments.filter(criterion__kind="yes_no").update(met=met, evidence="Biên bản")


@pytest.fixture
def submitted(area_dossier, official_a):
    _assess_all(area_dossier)
    return services.dossier_submit(dossier=area_dossier, user=official_a)


def _formset_data(dossier, **per_code):
    rows = list(dossier.assessments.select_related("criterion").order_by("criterion__order"))
    data = {
        "a-TOTAL_FORMS": str(len(rows)),
        "a-INITIAL_FORMS": str(len(rows)),
        "a-MIN_NUM_FORMS": "0",
        "a-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data[f"a-{i}-id"] = str(row.pk)
        data[f"a-{i}-met"] = "true"
        data[f"a-{i}-evidence"] = f"Minh chứng {row.criterion.code}"
        for key, value in per_code.get(row.criterion.code, {}).items():
            data[f"a-{i}-{key}"] = value
    return data


# --- anonymous and scoping -------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "overview",
        "organization_titles",
        "dossier_list",
        "prepare",
        "classification_list",
        "award_list",
        "award_create",
        "festival_list",
        "incident_list",
    ],
)
def test_anonymous_is_sent_to_login(client, name, db):
    response = client.get(reverse(f"certifications:{name}"))
    assert response.status_code == 302 and "/tai-khoan/login/" in response["Location"]


def test_anonymous_is_sent_to_login_from_a_dossier(client, area_dossier):
    for name in ("dossier_detail", "dossier_assess", "dossier_decide", "certificate"):
        response = client.get(reverse(f"certifications:{name}", args=[area_dossier.pk]))
        assert response.status_code == 302 and "/tai-khoan/login/" in response["Location"]


def test_official_opens_a_dossier_for_own_residential_area(login, official_a, area_a, tt23):
    client = login(official_a)
    page = client.get(_create_url("khu-dan-cu", area_a))
    assert page.status_code == 200
    assert "Thông tư 23/2012/TT-BCA" in page.content.decode()
    response = _post_create(client, "khu-dan-cu", area_a)
    dossier = Dossier.objects.get(residential_area=area_a)
    assert response.status_code == 302
    assert response["Location"] == reverse("certifications:dossier_assess", args=[dossier.pk])
    assert dossier.rule_set == tt23 and dossier.unit == area_a.unit
    assert dossier.assessments.count() == 5
    assert dossier.status == DossierStatus.DRAFT and dossier.created_by == official_a


def test_official_cannot_open_dossiers_for_another_units_holders(
    login, official_b, area_a, unit_a, school_a
):
    client = login(official_b)
    for slug, holder in (("khu-dan-cu", area_a), ("don-vi", unit_a), ("to-chuc", school_a)):
        assert client.get(_create_url(slug, holder)).status_code == 404
        assert _post_create(client, slug, holder).status_code == 404
    assert not Dossier.objects.exists()


def test_official_cannot_see_another_units_dossiers(login, official_b, area_dossier):
    client = login(official_b)
    for name in ("dossier_detail", "dossier_assess", "certificate"):
        assert (
            client.get(reverse(f"certifications:{name}", args=[area_dossier.pk])).status_code == 404
        )
    assert (
        client.post(reverse("certifications:dossier_submit", args=[area_dossier.pk])).status_code
        == 404
    )
    listing = client.get(reverse("certifications:dossier_list")).content.decode()
    assert area_dossier.residential_area.name not in listing


def test_official_restricted_to_some_areas_prepares_only_those(login, official_a, unit_a):
    first, second = areas_of(unit_a, 2)
    official_a.residential_areas.set([first])
    client = login(official_a)
    assert client.get(_create_url("khu-dan-cu", second)).status_code == 404
    assert client.get(_create_url("khu-dan-cu", first)).status_code == 200


def test_leader_reads_dossiers_but_prepares_and_decides_nothing(login, leader, submitted, area_a):
    client = login(leader)
    assert client.get(submitted.get_absolute_url()).status_code == 200
    assert area_a.name in client.get(reverse("certifications:dossier_list")).content.decode()
    assert client.get(reverse("certifications:prepare")).status_code == 403
    assert (
        _post_create(
            client, "khu-dan-cu", area_a, year=2022, registered_on="2022-02-01"
        ).status_code
        == 403
    )
    assert (
        client.get(reverse("certifications:dossier_assess", args=[submitted.pk])).status_code == 404
    )
    decide = reverse("certifications:dossier_decide", args=[submitted.pk])
    assert client.post(decide, {"result": "met"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == DossierStatus.SUBMITTED


def test_approver_prepares_only_the_citys_own_organisations(login, approver, city, area_a):
    from tests.factories import OrganizationFactory

    police = OrganizationFactory(unit=city, name="Công an thành phố")
    client = login(approver)
    assert client.get(_create_url("khu-dan-cu", area_a)).status_code == 404
    page = client.get(reverse("certifications:prepare")).content.decode()
    assert police.name in page and area_a.name not in page


# --- bad input ----------------------------------------------------------------------------


def test_registration_outside_q1_is_refused_and_nothing_saved(login, official_a, area_a):
    response = _post_create(login(official_a), "khu-dan-cu", area_a, registered_on="2021-04-01")
    assert response.status_code == 200
    assert "Ngày đăng ký phải trong quý I năm 2021 (từ 01/01/2021 đến 31/03/2021)." in (
        response.content.decode()
    )
    assert not Dossier.objects.exists()


def test_duplicate_dossier_for_the_same_holder_and_year_is_refused(
    login, official_a, area_a, area_dossier
):
    response = _post_create(login(official_a), "khu-dan-cu", area_a)
    assert response.status_code == 200
    assert "Khu phố 1 đã có hồ sơ danh hiệu “An toàn về an ninh, trật tự” năm 2021." in (
        response.content.decode()
    )
    assert Dossier.objects.count() == 1


def test_ineligible_holder_sees_the_reason_and_gets_no_dossier(login, official_a, primary_school_a):
    client = login(official_a)
    page = client.get(_create_url("to-chuc", primary_school_a, 2022)).content.decode()
    assert "Không thuộc diện xét" in page and "trường tiểu học" in page
    response = _post_create(
        client, "to-chuc", primary_school_a, year=2022, registered_on="2022-02-01"
    )
    assert response.status_code == 200 and "trường tiểu học" in response.content.decode()
    assert not Dossier.objects.exists()
    board = client.get(reverse("certifications:prepare") + "?year=2022").content.decode()
    assert "không xét danh hiệu “An toàn về an ninh, trật tự” đối với trường tiểu học" in board


def test_self_assessment_saves_answers_evidence_and_a_valid_file(login, official_a, area_dossier):
    pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minimal", content_type="application/pdf")
    data = _formset_data(area_dossier, **{"5.3": {"met": "false", "attachment": pdf}})
    client = login(official_a)
    response = client.post(reverse("certifications:dossier_assess", args=[area_dossier.pk]), data)
    assert response.status_code == 302
    row = CriterionAssessment.objects.get(dossier=area_dossier, criterion__code="5.3")
    assert row.met is False and row.evidence == "Minh chứng 5.3"
    assert row.attachment.name.endswith("bien-ban.pdf")
    area_dossier.refresh_from_db()
    assert area_dossier.proposed_result == Result.NOT_MET
    download = client.get(reverse("certifications:attachment", args=[row.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    row.attachment.delete()


def test_another_unit_cannot_download_an_attachment(login, official_a, official_b, area_dossier):
    row = area_dossier.assessments.first()
    row.attachment.save("x.pdf", io.BytesIO(b"%PDF-1.4"))
    assert (
        login(official_b).get(reverse("certifications:attachment", args=[row.pk])).status_code
        == 404
    )
    row.attachment.delete()


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            ("lon.pdf", b"%PDF-" + b"0" * (6 * 1024 * 1024)),
            "Tệp quá lớn (6,0 MB): tối đa 5,0 MB.",
        ),
        (
            ("virus.exe", b"MZ\x90\x00"),
            "Không nhận tệp loại “exe”. Chỉ nhận: pdf, jpg, png, docx, xlsx.",
        ),
        (
            ("gia.pdf", b"<html>not a pdf</html>"),
            "Nội dung tệp không đúng định dạng PDF.",
        ),
        (
            ("gia.xlsx", _docx_bytes()),
            "Nội dung tệp không đúng định dạng XLSX.",
        ),
    ],
    ids=["too-large", "forbidden-type", "content-not-pdf", "docx-named-xlsx"],
)
def test_bad_attachment_is_refused_with_a_clear_error_and_nothing_saved(
    login, official_a, area_dossier, upload, message
):
    # A new file each run: a file object made at import is read to its end by the first session
    # of a process (mutmut runs several sessions in one process).
    data = _formset_data(area_dossier, **{"5.2": {"attachment": SimpleUploadedFile(*upload)}})
    response = login(official_a).post(
        reverse("certifications:dossier_assess", args=[area_dossier.pk]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode().replace("\xa0", " ")
    # Nothing saved: no answer, no evidence, no file.
    assert not area_dossier.assessments.exclude(met=None).exists()
    assert not area_dossier.assessments.exclude(evidence="").exists()
    assert not area_dossier.assessments.exclude(attachment="").exists()
    folder = Path(settings.MEDIA_ROOT) / "certifications" / "2021" / str(area_dossier.pk)
    assert not folder.exists() or not any(folder.iterdir())


def test_real_office_files_and_images_are_accepted(login, official_a, area_dossier):
    docx = SimpleUploadedFile("bao-cao.docx", _docx_bytes())
    picture = io.BytesIO()
    Image.new("RGB", (4, 3), "white").save(picture, "PNG")  # a real picture, checked by Pillow
    png = SimpleUploadedFile("anh.png", picture.getvalue())
    data = _formset_data(area_dossier, **{"5.1": {"attachment": docx}, "5.2": {"attachment": png}})
    response = login(official_a).post(
        reverse("certifications:dossier_assess", args=[area_dossier.pk]), data
    )
    assert response.status_code == 302
    files = area_dossier.assessments.exclude(attachment="")
    assert files.count() == 2
    for row in files:
        row.attachment.delete()


def test_submit_needs_every_criterion_assessed(login, official_a, area_dossier):
    client = login(official_a)
    response = client.post(
        reverse("certifications:dossier_submit", args=[area_dossier.pk]), follow=True
    )
    assert "Hãy đánh giá đủ các tiêu chí trước khi nộp (còn thiếu: 5.1, 5.2, 5.3, 5.4, 5.5)." in (
        response.content.decode()
    )
    area_dossier.refresh_from_db()
    assert area_dossier.status == DossierStatus.DRAFT
    _assess_all(area_dossier)
    client.post(reverse("certifications:dossier_submit", args=[area_dossier.pk]))
    area_dossier.refresh_from_db()
    assert area_dossier.status == DossierStatus.SUBMITTED
    assert area_dossier.proposed_result == Result.MET and area_dossier.submitted_by == official_a
    # A submitted dossier cannot be changed any more.
    assert (
        client.get(reverse("certifications:dossier_assess", args=[area_dossier.pk])).status_code
        == 302
    )


# --- decision ------------------------------------------------------------------------------


def _decision(**overrides):
    data = {
        "result": "met",
        "decision_number": "45/QĐ-UBND",
        "decision_date": "2021-11-20",
        "issuing_body": "Ủy ban nhân dân Phường 1",
        "certificate_number": "12/GCN",
    }
    data.update(overrides)
    return data


def test_only_the_approver_decides(login, official_a, official_b, leader, approver, submitted):
    url = reverse("certifications:dossier_decide", args=[submitted.pk])
    for user in (official_a, official_b, leader):
        assert login(user).post(url, _decision()).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == DossierStatus.SUBMITTED
    client = login(approver)
    form = client.get(url).content.decode()
    assert "Ủy ban nhân dân Phường 1" in form  # the ward recognises its residential areas
    response = client.post(url, _decision())
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.result) == (DossierStatus.DECIDED, Result.MET)
    assert submitted.decided_by == approver and submitted.certificate_number == "12/GCN"


def test_decision_date_before_registration_is_refused_and_nothing_saved(login, approver, submitted):
    response = login(approver).post(
        reverse("certifications:dossier_decide", args=[submitted.pk]),
        _decision(decision_date="2021-02-01"),
    )
    assert response.status_code == 200
    assert (
        "Ngày quyết định không được trước ngày đăng ký (15/02/2021)." in response.content.decode()
    )
    submitted.refresh_from_db()
    assert submitted.status == DossierStatus.SUBMITTED and submitted.result == ""


def test_met_needs_all_criteria_and_a_certificate_number(login, approver, official_a, area_dossier):
    area_dossier.assessments.filter(criterion__kind="yes_no").update(met=True)
    area_dossier.assessments.filter(criterion__code="5.4").update(met=False)
    services.dossier_submit(dossier=area_dossier, user=official_a)
    url = reverse("certifications:dossier_decide", args=[area_dossier.pk])
    client = login(approver)
    page = client.post(url, _decision(certificate_number="")).content.decode()
    assert "Không thể công nhận đạt: tiêu chí 5.4 chưa đạt." in page
    assert "Công nhận đạt danh hiệu phải có số giấy chứng nhận." in page
    area_dossier.refresh_from_db()
    assert area_dossier.status == DossierStatus.SUBMITTED
    client.post(url, _decision(result="not_met", certificate_number=""))
    area_dossier.refresh_from_db()
    assert (area_dossier.result, area_dossier.certificate_number) == (Result.NOT_MET, "")
    assert (
        client.get(reverse("certifications:certificate", args=[area_dossier.pk])).status_code == 404
    )


def test_approver_returns_a_dossier_with_a_reason(login, approver, official_a, submitted):
    url = reverse("certifications:dossier_return", args=[submitted.pk])
    assert login(official_a).post(url, {"note": "x"}).status_code == 403
    login(approver).post(url, {"note": "Thiếu biên bản họp khu dân cư."})
    submitted.refresh_from_db()
    assert submitted.status == DossierStatus.DRAFT
    assert submitted.return_note == "Thiếu biên bản họp khu dân cư."
    page = login(official_a).get(submitted.get_absolute_url()).content.decode()
    assert "Thiếu biên bản họp khu dân cư." in page


def test_certificate_page_shows_the_decision(login, approver, official_a, submitted):
    login(approver).post(reverse("certifications:dossier_decide", args=[submitted.pk]), _decision())
    page = login(official_a).get(reverse("certifications:certificate", args=[submitted.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    for expected in (
        "GIẤY CHỨNG NHẬN".lower(),
        "Khu phố 1",
        "Số: 12/GCN",
        "Theo Quyết định số 45/QĐ-UBND ngày 20/11/2021.",
        "đạt tiêu chuẩn năm 2021",
        "data-print",
        'class="certificate"',
    ):
        assert expected in text or expected in text.lower()


def test_unit_dossier_is_recognised_by_the_city(login, approver, official_a, unit_a, city):
    for area in areas_of(unit_a, 5):
        decided_dossier(area, year=2021)
    dossier = services.dossier_create(
        user=official_a, holder=unit_a, kind=ANTT, year=2021, registered_on=D(2021, 1, 20)
    )
    _assess_all(dossier)
    services.dossier_submit(dossier=dossier, user=official_a)
    form = login(approver).get(reverse("certifications:dossier_decide", args=[dossier.pk]))
    assert f"Ủy ban nhân dân {city.name}" in form.content.decode()


def test_replaced_and_removed_files_leave_storage_after_the_save(
    login, official_a, area_dossier, django_capture_on_commit_callbacks
):
    client = login(official_a)
    url = reverse("certifications:dossier_assess", args=[area_dossier.pk])
    first = SimpleUploadedFile("a.pdf", b"%PDF-1.4 first")
    client.post(url, _formset_data(area_dossier, **{"5.1": {"attachment": first}}))
    row = area_dossier.assessments.get(criterion__code="5.1")
    old_name = row.attachment.name
    storage = row.attachment.storage
    assert storage.exists(old_name)
    second = SimpleUploadedFile("b.pdf", b"%PDF-1.4 second")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, _formset_data(area_dossier, **{"5.1": {"attachment": second}}))
    row.refresh_from_db()
    assert row.attachment.name.endswith("b.pdf") and not storage.exists(old_name)
    newer = row.attachment.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, _formset_data(area_dossier, **{"5.1": {"attachment-clear": "on"}}))
    row.refresh_from_db()
    assert row.attachment.name == "" and not storage.exists(newer)


def test_a_refused_attachment_keeps_every_choice_and_shows_no_unsaved_file(
    login, official_a, area_dossier
):
    """Issue 10: one bad file reset every "Đạt" choice and linked a file never saved (404)."""
    good = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minimal", content_type="application/pdf")
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00")
    data = _formset_data(
        area_dossier, **{"5.1": {"attachment": good}, "5.2": {"attachment": bad, "met": "false"}}
    )
    response = login(official_a).post(
        reverse("certifications:dossier_assess", args=[area_dossier.pk]), data
    )
    assert response.status_code == 200
    page = response.content.decode()
    formset = response.context["formset"]
    shown = {f.instance.criterion.code: f["met"].value() for f in formset.forms}
    assert shown["5.2"] == "false" and shown["5.1"] == "true"
    # The select keeps the chosen option selected for every row.
    assert page.count('<option value="true" selected>') == sum(
        1 for code, value in shown.items() if value == "true"
    )
    assert page.count('<option value="false" selected>') == 1
    # No link to a file that was not saved.
    assert "bien-ban.pdf" not in page and "/danh-hieu/tep/" not in page
    assert not area_dossier.assessments.exclude(attachment="").exists()


def test_more_rows_than_the_dossier_has_are_a_form_error_not_a_500(login, official_a, area_dossier):
    data = _formset_data(area_dossier)
    count = int(data["a-TOTAL_FORMS"])
    data["a-TOTAL_FORMS"] = str(count + 2)
    for extra in (count, count + 1):
        data[f"a-{extra}-met"] = "true"
        data[f"a-{extra}-evidence"] = "Thêm"
    response = login(official_a).post(
        reverse("certifications:dossier_assess", args=[area_dossier.pk]), data
    )
    assert response.status_code == 200
    assert "nhiều dòng hơn số tiêu chí" in response.content.decode()
    assert not area_dossier.assessments.exclude(met=None).exists()
    assert area_dossier.assessments.count() == count
