from django.urls import path

from models_registry import views

app_name = "models_registry"

# Fixed words come before "<slug>/": models_registry.models.RESERVED_SLUGS keeps slugs off them.
urlpatterns = [
    path("", views.registry, name="registry"),
    path("dang-ky/", views.model_register, name="model_register"),
    path("camera-theo-don-vi/", views.camera_totals, name="camera_totals"),
    path("danh-gia/cho-xac-nhan/", views.evaluation_queue, name="evaluation_queue"),
    path("danh-gia/<int:pk>/xac-nhan/", views.evaluation_confirm, name="evaluation_confirm"),
    path("diem/<int:pk>/", views.site_detail, name="site_detail"),
    path("diem/<int:pk>/sua/", views.site_edit, name="site_edit"),
    path("diem/<int:pk>/thanh-loai/", views.site_retire, name="site_retire"),
    path("diem/<int:pk>/danh-gia/", views.evaluation_propose, name="evaluation_propose"),
    path("<slug:slug>/", views.model_detail, name="model_detail"),
    path("<slug:slug>/sua/", views.model_edit, name="model_edit"),
    path("<slug:slug>/nhan-rong/", views.site_create, name="site_create"),
    path("<slug:slug>/thanh-loai/", views.model_retire, name="model_retire"),
    path("<slug:slug>/tieu-bieu/", views.model_exemplary, name="model_exemplary"),
]
