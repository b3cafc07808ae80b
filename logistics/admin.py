"""Logistics in /admin/: carriers are data operators keep; parcels, tracking, batches and
every log (print records, tracking-number corrections) are read-only, written only by
logistics.services."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Carrier,
    ParcelNumber,
    PrintRecord,
    ShipBatch,
    ShipBatchRow,
    Shipment,
    ShipmentLine,
    TrackingEvent,
    TrackingNoCorrection,
)


@admin.register(Carrier)
class CarrierAdmin(admin.ModelAdmin):
    """Carriers are data: operators fix patterns and add aliases here."""

    list_display = (
        "name",
        "code",
        "tracking_pattern",
        "tracking_example",
        "is_active",
        "sort_order",
    )
    list_editable = ("is_active", "sort_order")
    search_fields = ("name", "code")


class ShipmentLineInline(ReadOnlyInline):
    model = ShipmentLine
    fields = ("order", "item", "quantity")


class TrackingEventInline(ReadOnlyInline):
    model = TrackingEvent
    fields = ("occurred_at", "status", "location", "description", "received_at")


@admin.register(Shipment)
class ShipmentAdmin(ReadOnlyAdmin):
    """Parcels are shipped and corrected through logistics.services, never edited here."""

    list_display = (
        "tracking_no",
        "carrier",
        "shop",
        "shipped_at",
        "tracking_status",
        "print_count",
    )
    list_filter = ("carrier", "tracking_status")
    search_fields = ("tracking_no",)
    list_select_related = ("carrier", "shop")
    raw_id_fields = ("shop", "aftersale", "shipped_by", "batch")
    inlines = [ShipmentLineInline, TrackingEventInline]


@admin.register(ParcelNumber)
class ParcelNumberAdmin(ReadOnlyAdmin):
    list_display = ("carrier", "tracking_no", "shop", "created_at")
    list_select_related = ("carrier", "shop")
    search_fields = ("=tracking_no",)


@admin.register(ShipBatch)
class ShipBatchAdmin(ReadOnlyAdmin):
    """批量发货 tasks: their status moves only in logistics.batch."""

    list_display = (
        "created_at",
        "shop",
        "file_name",
        "status",
        "total_rows",
        "shipped_rows",
        "failed_rows",
    )
    list_filter = ("status",)
    list_select_related = ("shop",)
    search_fields = ("file_name", "shop__name")


@admin.register(ShipBatchRow)
class ShipBatchRowAdmin(ReadOnlyAdmin):
    list_display = ("batch", "row_number", "order_no", "tracking_no", "result", "text")
    list_filter = ("result",)
    list_select_related = ("batch",)
    search_fields = ("=order_no", "=tracking_no")
    raw_id_fields = ("batch", "shipment")
    show_full_result_count = False


@admin.register(TrackingNoCorrection)
class TrackingNoCorrectionAdmin(ReadOnlyAdmin):
    list_display = ("shipment", "old_tracking_no", "new_tracking_no", "actor", "created_at")
    raw_id_fields = ("shipment", "actor")


@admin.register(PrintRecord)
class PrintRecordAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "shop", "actor", "page_count")
    list_select_related = ("shop", "actor")
    raw_id_fields = ("shop", "actor", "shipments")
