"""Platform staff find orders and after-sales here (by number), read-only: every change
goes through the services the console, API and timers use (关闭订单 is an action)."""

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ActionForm
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from . import services
from .changes import OrderChange
from .models import AfterSale, AfterSaleEvent, Order, OrderEvent, OrderItem, Payment


class CancelActionForm(ActionForm):
    cancel_reason = forms.CharField(label=_("取消原因"), required=False, max_length=100)


class OrderItemInline(ReadOnlyInline):
    model = OrderItem
    fields = ("item_no", "product_title", "spec_text", "quantity", "shipped_quantity", "paid_fen")


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ("payment_id", "provider", "pay_method", "amount_fen", "paid_at")


class OrderEventInline(ReadOnlyInline):
    """The order's timeline, receiver reveals (查看收件人信息) included."""

    model = OrderEvent
    fields = ("created_at", "kind", "from_status", "to_status", "text", "actor", "actor_label")
    readonly_fields = ("text",)


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ("order_no", "shop", "status", "paid_fen", "created_at")
    list_filter = ("status",)
    list_select_related = ("shop",)
    search_fields = ("=order_no", "=items__item_no")
    show_full_result_count = False  # a million orders: no COUNT(*) per page
    inlines = [OrderItemInline, PaymentInline, OrderEventInline]
    action_form = CancelActionForm
    actions = ["cancel"]
    done_message = _("已关闭 %(n)s 个订单。")

    @admin.action(description=_("关闭订单（仅未支付，填写取消原因）"), permissions=["view"])
    def cancel(self, request, queryset):
        reason = request.POST.get("cancel_reason", "")
        self.apply_service(request, queryset, services.order_cancel, reason=reason)


class AfterSaleEventInline(ReadOnlyInline):
    model = AfterSaleEvent
    fields = ("created_at", "from_status", "to_status", "text", "actor", "actor_label")
    readonly_fields = ("text",)


@admin.register(AfterSale)
class AfterSaleAdmin(ReadOnlyAdmin):
    list_display = ("aftersale_no", "order", "shop", "type", "status", "refund_fen", "created_at")
    list_filter = ("status", "type")
    list_select_related = ("order", "shop")
    search_fields = ("=aftersale_no", "=order__order_no")
    show_full_result_count = False
    inlines = [AfterSaleEventInline]


@admin.register(OrderChange)
class OrderChangeAdmin(ReadOnlyAdmin):
    """The change log behind incremental sync (written by database triggers)."""

    list_display = ("changed_at", "order", "shop", "xid")
    list_select_related = ("order", "shop")
    search_fields = ("=order__order_no",)
    show_full_result_count = False


# Orders as files and 消息推送 keep their admin beside their code.
from .files import admin as files_admin  # noqa: E402, F401
from .webhooks import admin as webhooks_admin  # noqa: E402, F401
