from django.urls import path

from . import views

app_name = "products"

urlpatterns = [
    path("", views.product_list, name="list"),
    path("new/", views.product_create, name="create"),
    path("bulk/", views.product_bulk, name="bulk"),
    path("export/", views.product_export, name="export"),
    path("import/", views.product_import, name="import"),
    path("import/confirm/", views.product_import_confirm, name="import_confirm"),
    path("<int:product_id>/", views.product_detail, name="detail"),
    path("<int:product_id>/edit/", views.product_edit, name="edit"),
    path(
        "<int:product_id>/publish/",
        views.product_set_status,
        {"action": "publish"},
        name="publish",
    ),
    path(
        "<int:product_id>/unpublish/",
        views.product_set_status,
        {"action": "unpublish"},
        name="unpublish",
    ),
    path("<int:product_id>/images/", views.image_upload, name="image_upload"),
    path("images/<int:image_id>/remove/", views.image_remove, name="image_remove"),
    path("skus/<int:sku_id>/stock/", views.stock_adjust, name="stock_adjust"),
]
