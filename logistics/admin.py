from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import (
    Carrier,
    PrintRecord,
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


class ShipmentLineInline(admin.TabularInline):
    model = ShipmentLine
    extra = 0
    raw_id_fields = ("order", "item")
    readonly_fields = ("order", "item", "quantity")
    can_delete = False


class TrackingEventInline(admin.TabularInline):
    model = TrackingEvent
    extra = 0
    readonly_fields = ("occurred_at", "status", "location", "description", "received_at")
    can_delete = False


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    """Read-only: parcels are shipped through logistics.services, never edited here."""

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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TrackingNoCorrection)
class TrackingNoCorrectionAdmin(ReadOnlyAdmin):
    list_display = ("shipment", "old_tracking_no", "new_tracking_no", "actor", "created_at")
    raw_id_fields = ("shipment", "actor")


@admin.register(PrintRecord)
class PrintRecordAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "shop", "actor", "page_count")
    list_select_related = ("shop", "actor")
    raw_id_fields = ("shop", "actor", "shipments")
