from django.urls import path

from campaigns.certifications.views import awards, classification, dossiers, titles

app_name = "certifications"

urlpatterns = [
    path("", titles.overview, name="overview"),
    path("don-vi/<slug:slug>/", titles.unit_history, name="unit_history"),
    path("to-chuc/", titles.organization_titles, name="organization_titles"),
    path("ho-so/", dossiers.dossier_list, name="dossier_list"),
    path("ho-so/lap/", dossiers.prepare, name="prepare"),
    path("ho-so/lap/<slug:holder_slug>/<int:pk>/", dossiers.dossier_create, name="dossier_create"),
    path("ho-so/<int:pk>/", dossiers.dossier_detail, name="dossier_detail"),
    path("ho-so/<int:pk>/tu-danh-gia/", dossiers.dossier_assess, name="dossier_assess"),
    path("ho-so/<int:pk>/nop/", dossiers.dossier_submit, name="dossier_submit"),
    path("ho-so/<int:pk>/quyet-dinh/", dossiers.dossier_decide, name="dossier_decide"),
    path("ho-so/<int:pk>/tra-lai/", dossiers.dossier_return, name="dossier_return"),
    path("ho-so/<int:pk>/giay-chung-nhan/", dossiers.certificate, name="certificate"),
    path("tep/<int:pk>/", dossiers.attachment, name="attachment"),
    path("phan-loai/", classification.classification_list, name="classification_list"),
    path(
        "phan-loai/lap/<slug:holder_slug>/<int:pk>/",
        classification.classification_create,
        name="classification_create",
    ),
    path("phan-loai/<int:pk>/", classification.classification_detail, name="classification_detail"),
    path(
        "phan-loai/<int:pk>/nop/",
        classification.classification_submit,
        name="classification_submit",
    ),
    path(
        "phan-loai/<int:pk>/phe-duyet/",
        classification.classification_approve,
        name="classification_approve",
    ),
    path("khen-thuong/", awards.award_list, name="award_list"),
    path("khen-thuong/them/", awards.award_edit, name="award_create"),
    path("khen-thuong/<int:pk>/sua/", awards.award_edit, name="award_edit"),
    path("khen-thuong/ca-nhan/them/", awards.person_create, name="person_create"),
    path("ngay-hoi/", awards.festival_list, name="festival_list"),
    path("ngay-hoi/them/", awards.festival_edit, name="festival_create"),
    path("ngay-hoi/<int:pk>/sua/", awards.festival_edit, name="festival_edit"),
    path("su-co/", titles.incident_list, name="incident_list"),
    path("su-co/them/", titles.incident_create, name="incident_create"),
]
