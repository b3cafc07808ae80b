"""The merchant console: 订单管理 under namespace "orders", 售后 under "aftersales" (so
each lights up its own sidebar section)."""

from django.urls import include, path

from . import views

orders = (
    [
        path("", views.order_list, name="list"),
        path("bulk-remark/", views.order_bulk_remark, name="bulk_remark"),
        path("<int:order_id>/", views.order_detail, name="detail"),
        path("<int:order_id>/remark/", views.order_remark, name="remark"),
        path("<int:order_id>/reveal/", views.order_reveal, name="reveal"),
        path("<int:order_id>/cancel/", views.order_cancel, name="cancel"),
        path("files/", include("orders.files.urls")),
    ],
    "orders",
)

aftersales = (
    [
        path("", views.aftersale_list, name="list"),
        path("<int:aftersale_id>/", views.aftersale_detail, name="detail"),
        path("<int:aftersale_id>/agree/", views.aftersale_agree, name="agree"),
        path("<int:aftersale_id>/reject/", views.aftersale_reject, name="reject"),
        path("<int:aftersale_id>/receive/", views.aftersale_receive, name="receive"),
    ],
    "aftersales",
)
