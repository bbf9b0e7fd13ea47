from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from campaigns import views as campaign_views
from campaigns.dashboard.api import api
from wards.forms import LoginForm
from wards.views import PasswordResetView

urlpatterns = [
    path("", campaign_views.home, name="home"),
    path("", include("wards.urls")),
    path("", include("campaigns.urls")),
    path("danh-hieu/", include("campaigns.certifications.urls")),
    path("mo-hinh/", include("models_registry.urls")),
    path("", include("campaigns.dashboard.urls")),
    path("api/v1/", api.urls),
    path(
        "tai-khoan/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("tai-khoan/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("tai-khoan/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
]
# MEDIA_ROOT is never served as static files, not even with DEBUG: attachments are read only
# through their scoped view (campaigns.certifications.views.dossiers.attachment).
