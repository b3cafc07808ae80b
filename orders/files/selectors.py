"""Reads for orders as files: 导出记录 (the last 7 days), export templates, schedules and
imports of the console's shop, each scoped through shops.tenancy."""

from datetime import timedelta

from django.utils import timezone

from shops.tenancy import ConsoleContext, get_scoped_or_404, scope

from .models import ExportSchedule, ExportTemplate, FileJobStatus, OrderExport, OrderImport
from .services import KEEP_DAYS

RUNNING = (FileJobStatus.QUEUED, FileJobStatus.RUNNING)


def export_list(*, context: ConsoleContext):
    since = timezone.now() - timedelta(days=KEEP_DAYS)
    return scope(OrderExport.objects.select_related("created_by"), context).filter(
        created_at__gte=since
    )


def export_get(*, context: ConsoleContext, export_id: int) -> OrderExport:
    return get_scoped_or_404(export_list(context=context), context, pk=export_id)


def export_templates(*, context: ConsoleContext):
    return scope(ExportTemplate.objects.all(), context)


def export_schedules(*, context: ConsoleContext):
    return scope(ExportSchedule.objects.select_related("created_by"), context)


def import_list(*, context: ConsoleContext):
    return scope(OrderImport.objects.select_related("created_by"), context)


def import_get(*, context: ConsoleContext, import_id: int) -> OrderImport:
    return get_scoped_or_404(import_list(context=context), context, pk=import_id)


def import_progress(job: OrderImport) -> int:
    if job.status == FileJobStatus.DONE:
        return 100
    return min(99, job.processed * 100 // job.total) if job.total else 0
