from django.urls import path

from campaigns.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("tong-quan/", views.dashboard, name="dashboard"),
    path("tong-quan/chi-tieu/<slug:code>/", views.indicator_detail, name="indicator_detail"),
    path("bao-cao-so-ket/", views.period_report, name="period_report"),
]
