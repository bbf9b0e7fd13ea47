from django.urls import path

from campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("bao-cao/", views.report_list, name="report_list"),
    path("bao-cao/<int:year>/nhap-tu-tep/", views.import_upload, name="import_upload"),
    path("bao-cao/<int:year>/tai-mau-toan-bo/", views.template_city, name="template_city"),
    path("bao-cao/<int:year>/<slug:slug>/", views.report_detail, name="report_detail"),
    path("bao-cao/<int:year>/<slug:slug>/nhap-lieu/", views.report_entry, name="report_entry"),
    path("bao-cao/<int:year>/<slug:slug>/duyet/", views.report_approve, name="report_approve"),
    path("bao-cao/<int:year>/<slug:slug>/tra-lai/", views.report_return, name="report_return"),
    path("bao-cao/<int:year>/<slug:slug>/mo-lai/", views.report_reopen, name="report_reopen"),
    path("bao-cao/<int:year>/<slug:slug>/tai-mau/", views.template_unit, name="template_unit"),
    path("nhap-tu-tep/<int:pk>/", views.import_preview, name="import_preview"),
    path("nhap-tu-tep/<int:pk>/xac-nhan/", views.import_confirm, name="import_confirm"),
    path("duyet-bao-cao/", views.worklist, name="worklist_current"),
    path("duyet-bao-cao/<int:year>/", views.worklist, name="worklist"),
    path("duyet-bao-cao/<int:year>/duyet-nhieu/", views.bulk_approve, name="bulk_approve"),
    path("tien-do-bao-cao/", views.completeness, name="completeness_current"),
    path("tien-do-bao-cao/<int:year>/", views.completeness, name="completeness"),
    path(
        "tien-do-bao-cao/<int:year>/<slug:slug>/nhac-nho/", views.report_nudge, name="report_nudge"
    ),
]
