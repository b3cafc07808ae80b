"""The filters of the order and after-sale lists, shared by the console and the API.

Every filter narrows on an indexed column or through an EXISTS on the order's child
orders, so a list stays fast at a million orders in a shop.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.filters import day_range
from shops.models import Creator

from .deadlines import due_soon_q, overdue_q
from .models import (
    OPEN_AFTERSALE_STATUSES,
    AfterSale,
    AfterSaleStatus,
    AfterSaleType,
    Channel,
    Order,
    OrderItem,
    OrderStatus,
    RemarkFlag,
    TrafficSource,
)
from .regions import PROVINCES
from .status import TO_SHIP as TO_SHIP_STATUSES


class OrderTab:
    """The status tabs of 订单管理: key → the statuses it shows (None: every status)."""

    ALL = "all"
    UNPAID = "unpaid"
    TO_SHIP = "to_ship"
    SHIPPED = "shipped"
    COMPLETED = "completed"
    CLOSED = "closed"
    AFTERSALE = "aftersale"

    CHOICES = [
        (ALL, _("全部")),
        (UNPAID, _("待支付")),
        (TO_SHIP, _("待发货")),
        (SHIPPED, _("已发货")),
        (COMPLETED, _("已完成")),
        (CLOSED, _("已关闭")),
        (AFTERSALE, _("售后中")),
    ]
    STATUSES = {
        UNPAID: (OrderStatus.UNPAID,),
        TO_SHIP: TO_SHIP_STATUSES,
        SHIPPED: (OrderStatus.SHIPPED,),
        COMPLETED: (OrderStatus.COMPLETED,),
        CLOSED: (OrderStatus.CANCELLED,),
    }


class Deadline:
    SOON = "soon"
    OVERDUE = "overdue"
    CHOICES = [(SOON, _("即将超时")), (OVERDUE, _("已超时"))]


def open_aftersale_exists():
    return Exists(
        AfterSale.objects.filter(order_id=OuterRef("pk"), status__in=OPEN_AFTERSALE_STATUSES)
    )


def filter_tab(queryset, tab: str):
    if tab == OrderTab.AFTERSALE:
        return queryset.filter(open_aftersale_exists())
    statuses = OrderTab.STATUSES.get(tab)
    return queryset if statuses is None else queryset.filter(status__in=statuses)


def filter_deadline(queryset, which: str, now=None):
    return queryset.filter(overdue_q(now) if which == Deadline.OVERDUE else due_soon_q(now))


def _by(narrow):
    """A filter `method` that narrows with `narrow(queryset, value)`."""
    return lambda queryset, name, value: narrow(queryset, value)


def _item_filter(filter_class, label, lookup):
    """A filter on the order's child orders (子订单)."""

    def method(queryset, name, value):
        items = OrderItem.objects.filter(order_id=OuterRef("pk"), **{lookup: value})
        return queryset.filter(Exists(items))

    return filter_class(label=label, method=method)


class OrderFilter(django_filters.FilterSet):
    tab = django_filters.ChoiceFilter(
        label=_("订单状态"), choices=OrderTab.CHOICES, method=_by(filter_tab), empty_label=None
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("状态码"), choices=OrderStatus.choices, widget=forms.MultipleHiddenInput
    )
    order_no = django_filters.CharFilter(label=_("订单编号"))
    item_no = _item_filter(django_filters.CharFilter, _("子订单编号"), "item_no")
    product_title = _item_filter(
        django_filters.CharFilter, _("商品名称"), "product_title__icontains"
    )
    product_id = _item_filter(django_filters.NumberFilter, _("商品ID"), "product_id")
    outer_code = _item_filter(django_filters.CharFilter, _("商家编码"), "outer_code")
    receiver_name = django_filters.CharFilter(label=_("收件人"))
    receiver_phone = django_filters.CharFilter(label=_("收件人手机号"))
    province = django_filters.ChoiceFilter(
        label=_("省份"),
        field_name="receiver_province",
        choices=[(p, p) for p in PROVINCES],
        empty_label=_("全部省份"),
    )
    creator = django_filters.CharFilter(label=_("达人昵称/抖音号"), method="filter_creator")
    channel = django_filters.ChoiceFilter(
        label=_("订单类型"), choices=Channel.choices, empty_label=_("全部类型")
    )
    traffic_source = django_filters.ChoiceFilter(
        label=_("流量来源"), choices=TrafficSource.choices, empty_label=_("全部来源")
    )
    flag = django_filters.ChoiceFilter(
        label=_("旗帜"),
        field_name="remark_flag",
        choices=RemarkFlag.choices,
        empty_label=_("全部旗帜"),
    )
    deadline = django_filters.ChoiceFilter(
        label=_("发货时效"),
        choices=Deadline.CHOICES,
        method=_by(filter_deadline),
        empty_label=_("不限"),
    )
    created_from, created_to = day_range("created_at", _("下单时间从"), _("下单时间至"))
    paid_from, paid_to = day_range("paid_at", _("支付时间从"), _("支付时间至"))

    class Meta:
        model = Order
        fields = []

    def filter_creator(self, queryset, name, value):
        creators = Creator.objects.filter(Q(nickname__icontains=value) | Q(douyin_id=value))
        return queryset.filter(creator_id__in=creators.values("pk"))


class AfterSaleTab:
    """全部, 待处理 (waiting for the merchant), then one tab per status."""

    ALL = "all"
    PENDING = "pending"
    PENDING_STATUSES = (
        AfterSaleStatus.AWAITING_MERCHANT,
        AfterSaleStatus.AWAITING_MERCHANT_RECEIPT,
        AfterSaleStatus.AWAITING_EXCHANGE_SHIPMENT,
    )
    CHOICES = [
        (ALL, _("全部")),
        (PENDING, _("待处理")),
        *((str(v), label) for v, label in AfterSaleStatus.choices),
    ]


def filter_aftersale_tab(queryset, tab: str):
    if tab == AfterSaleTab.ALL:
        return queryset
    if tab == AfterSaleTab.PENDING:
        return queryset.filter(status__in=AfterSaleTab.PENDING_STATUSES)
    return queryset.filter(status=int(tab))


class AfterSaleFilter(django_filters.FilterSet):
    tab = django_filters.ChoiceFilter(
        label=_("售后状态"),
        choices=AfterSaleTab.CHOICES,
        method=_by(filter_aftersale_tab),
        empty_label=None,
    )
    aftersale_no = django_filters.CharFilter(label=_("售后单号"))
    order_no = django_filters.CharFilter(label=_("订单编号"), field_name="order__order_no")
    type = django_filters.ChoiceFilter(
        label=_("售后类型"), choices=AfterSaleType.choices, empty_label=_("全部类型")
    )
    created_from, created_to = day_range("created_at", _("申请时间从"), _("申请时间至"))

    class Meta:
        model = AfterSale
        fields = []
