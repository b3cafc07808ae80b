"""Buyer-facing URLs (no login): product page, checkout, payment, the order page."""

from django.urls import path

from . import buyer_views as views

app_name = "buyer"

urlpatterns = [
    path("shop/<slug:shop_slug>/p/<int:product_id>/", views.product_page, name="product"),
    path("buy/<int:product_id>/", views.checkout, name="checkout"),
    path("o/<str:token>/", views.order_page, name="order"),
    path("o/<str:token>/pay/", views.pay, name="pay"),
    path("o/<str:token>/cancel/", views.order_cancel, name="cancel"),
    path("o/<str:token>/aftersale/", views.aftersale_open, name="aftersale_open"),
    path(
        "o/<str:token>/aftersale/<int:aftersale_id>/return/",
        views.aftersale_return,
        name="aftersale_return",
    ),
    path(
        "o/<str:token>/aftersale/<int:aftersale_id>/cancel/",
        views.aftersale_cancel,
        name="aftersale_cancel",
    ),
    path("pay/callback/", views.payment_callback, name="pay_callback"),
]
