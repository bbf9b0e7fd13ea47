from django.urls import path

from campaigns.certifications import views

app_name = "certifications"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("don-vi/<slug:slug>/", views.unit_history, name="unit_history"),
    path("to-chuc/", views.organization_titles, name="organization_titles"),
    path("ho-so/", views.dossier_list, name="dossier_list"),
    path("ho-so/lap/", views.prepare, name="prepare"),
    path("ho-so/lap/<slug:holder_slug>/<int:pk>/", views.dossier_create, name="dossier_create"),
    path("ho-so/<int:pk>/", views.dossier_detail, name="dossier_detail"),
    path("ho-so/<int:pk>/tu-danh-gia/", views.dossier_assess, name="dossier_assess"),
    path("ho-so/<int:pk>/nop/", views.dossier_submit, name="dossier_submit"),
    path("ho-so/<int:pk>/quyet-dinh/", views.dossier_decide, name="dossier_decide"),
    path("ho-so/<int:pk>/tra-lai/", views.dossier_return, name="dossier_return"),
    path("ho-so/<int:pk>/giay-chung-nhan/", views.certificate, name="certificate"),
    path("tep/<int:pk>/", views.attachment, name="attachment"),
    path("phan-loai/", views.classification_list, name="classification_list"),
    path(
        "phan-loai/lap/<slug:holder_slug>/<int:pk>/",
        views.classification_create,
        name="classification_create",
    ),
    path("phan-loai/<int:pk>/", views.classification_detail, name="classification_detail"),
    path("phan-loai/<int:pk>/nop/", views.classification_submit, name="classification_submit"),
    path(
        "phan-loai/<int:pk>/phe-duyet/", views.classification_approve, name="classification_approve"
    ),
    path("khen-thuong/", views.award_list, name="award_list"),
    path("khen-thuong/them/", views.award_edit, name="award_create"),
    path("khen-thuong/<int:pk>/sua/", views.award_edit, name="award_edit"),
    path("khen-thuong/ca-nhan/them/", views.person_create, name="person_create"),
    path("ngay-hoi/", views.festival_list, name="festival_list"),
    path("ngay-hoi/them/", views.festival_edit, name="festival_create"),
    path("ngay-hoi/<int:pk>/sua/", views.festival_edit, name="festival_edit"),
    path("su-co/", views.incident_list, name="incident_list"),
    path("su-co/them/", views.incident_create, name="incident_create"),
]
