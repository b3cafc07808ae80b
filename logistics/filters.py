"""The filters of 发货记录 (the parcel list), shared by the console (`logistics:shipments`)
and the API (`/api/v1/shipments/`)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import FlagInput, day_filter, search_filter
from orders.models import Order

from .models import ShipBatchRow, ShipBatchRowResult, Shipment, TrackingStatus
from .selectors import carriers_active, no_scan_q, normalize_tracking_no

NO_TRACKING = "none"


def _search(queryset, text):
    """A tracking number (as typed, spaces and case aside) or an order number."""
    orders = Order.objects.filter(order_no=text).values("pk")
    return queryset.filter(
        Q(tracking_no=normalize_tracking_no(text)) | Q(lines__order__in=orders)
    ).distinct()


class ShipmentFilter(django_filters.FilterSet):
    q = search_filter(_("快递单号 / 订单号"), _search, max_length=60)
    carrier = django_filters.ModelChoiceFilter(
        label=_("快递公司"), queryset=carriers_active(), empty_label=_("全部")
    )
    tracking_status = django_filters.ChoiceFilter(
        label=_("物流状态"),
        choices=[(NO_TRACKING, _("暂无轨迹")), *TrackingStatus.choices],
        method="filter_tracking_status",
        empty_label=_("全部"),
    )
    no_scan = django_filters.BooleanFilter(
        label=_("无揽收记录"), method="filter_no_scan", widget=FlagInput
    )
    shipped_from = day_filter(_("发货日期从"), "shipped_at")
    shipped_to = day_filter(_("至"), "shipped_at", until=True)

    class Meta:
        model = Shipment
        fields = []

    def filter_tracking_status(self, queryset, name, value):
        return queryset.filter(tracking_status="" if value == NO_TRACKING else value)

    def filter_no_scan(self, queryset, name, value):
        return queryset.filter(no_scan_q()) if value else queryset


class ShipBatchRowFilter(django_filters.FilterSet):
    """批量发货's rows by result (the tabs of a batch's page)."""

    result = django_filters.ChoiceFilter(
        label=_("结果"), choices=ShipBatchRowResult.choices, empty_label=_("全部")
    )

    class Meta:
        model = ShipBatchRow
        fields = []
