"""Platform staff find orders and after-sales here (by number), read-only: every change
goes through the services the console, API and timers use."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import AfterSale, AfterSaleEvent, Order, OrderEvent, OrderItem


class OrderItemInline(ReadOnlyInline):
    model = OrderItem
    fields = ("item_no", "product_title", "spec_text", "quantity", "shipped_quantity", "paid_fen")


class OrderEventInline(ReadOnlyInline):
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
    inlines = [OrderItemInline, OrderEventInline]


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
