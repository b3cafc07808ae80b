"""The merchant console: 订单管理 under namespace "orders", 售后 under "aftersales" (so
each lights up its own sidebar section)."""

from django.urls import include, path

from .views import aftersales as aftersale_views
from .views import orders as order_views

orders = (
    [
        path("", order_views.order_list, name="list"),
        path("bulk-remark/", order_views.order_bulk_remark, name="bulk_remark"),
        path("<int:order_id>/", order_views.order_detail, name="detail"),
        path("<int:order_id>/remark/", order_views.order_remark, name="remark"),
        path("<int:order_id>/reveal/", order_views.order_reveal, name="reveal"),
        path("<int:order_id>/cancel/", order_views.order_cancel, name="cancel"),
        path("files/", include("orders.files.urls")),
    ],
    "orders",
)

aftersales = (
    [
        path("", aftersale_views.aftersale_list, name="list"),
        path("<int:aftersale_id>/", aftersale_views.aftersale_detail, name="detail"),
        path("<int:aftersale_id>/agree/", aftersale_views.aftersale_agree, name="agree"),
        path("<int:aftersale_id>/reject/", aftersale_views.aftersale_reject, name="reject"),
        path("<int:aftersale_id>/receive/", aftersale_views.aftersale_receive, name="receive"),
    ],
    "aftersales",
)
