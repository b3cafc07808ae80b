"""Export and import jobs in /admin/: read-only records (their status moves only in the
jobs that run them, orders.files.jobs)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import OrderExport, OrderImport


class FileJobAdmin(ReadOnlyAdmin):
    """A shop's file jobs, found by file or shop name."""

    list_filter = ("status",)
    list_select_related = ("shop", "created_by")
    search_fields = ("file_name", "shop__name")


@admin.register(OrderExport)
class OrderExportAdmin(FileJobAdmin):
    list_display = ("created_at", "shop", "created_by", "by", "format", "status", "rows")
    list_filter = ("status", "format")


@admin.register(OrderImport)
class OrderImportAdmin(FileJobAdmin):
    list_display = ("created_at", "shop", "created_by", "file_name", "status", "processed")
