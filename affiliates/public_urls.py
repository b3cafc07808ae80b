"""The buyer-facing showcase (no login). Item URLs are stable: checkout starts there."""

from django.urls import path

from . import views

app_name = "showcase"

urlpatterns = [
    path("<str:douyin_id>/", views.public_showcase, name="public"),
    path("<str:douyin_id>/items/<int:item_id>/", views.public_item, name="item"),
]
