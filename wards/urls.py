from django.urls import path

from wards import views

app_name = "wards"

urlpatterns = [
    path("don-vi/", views.unit_list, name="unit_list"),
    path("don-vi/<slug:slug>/", views.unit_detail, name="unit_detail"),
    path("don-vi/<slug:slug>/mo-lai-nam/", views.year_reopen, name="year_reopen"),
    path(
        "don-vi/<slug:slug>/mo-lai-nam/<int:pk>/dong/",
        views.year_close_again,
        name="year_close_again",
    ),
    path("to-chuc/", views.organization_list, name="organization_list"),
    path("tro-giup/", views.help_page, name="help"),
    path("tro-giup/<slug:role>/", views.help_page, name="help_role"),
    path("thong-bao/", views.notification_list, name="notifications"),
    path("thong-bao/<int:pk>/", views.notification_open, name="notification_open"),
    path("thong-bao/<int:pk>/da-doc/", views.notification_read, name="notification_read"),
    path("thong-bao/da-doc-het/", views.notifications_read_all, name="notifications_read_all"),
    path("tai-khoan/ho-so/", views.profile, name="profile"),
]
