"""Writes for order exports: start an export (inline when small, a Celery job when
large), run it, save column templates and daily schedules, remove files after 7 days."""

import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import context_user, context_user_id
from core.exceptions import DomainError, clean_or_raise, require_postgresql
from shops.roles import Perm
from shops.tenancy import ConsoleContext, get_scoped_or_404, resolve_context

from ..filters import OrderFilter
from ..models import OrderEventKind
from . import export
from .columns import BY_KEY
from .models import (
    ExportBy,
    ExportFormat,
    ExportSchedule,
    ExportTemplate,
    FileJobStatus,
    OrderExport,
)

KEEP_DAYS = 7
INLINE_MAX_ROWS_DEFAULT = 5000


def inline_max_rows() -> int:
    return getattr(settings, "ORDER_EXPORT_INLINE_MAX_ROWS", INLINE_MAX_ROWS_DEFAULT)


class ExportRefused(DomainError, code="export_refused"):
    """An 订单导出 asked with an unknown dimension or format, or with no column."""


def filter_text(params: dict) -> str:
    """The filter in the list's own words: 订单状态：待发货；省份：浙江省 …"""
    parts = []
    for key, value in params.items():
        field = OrderFilter.base_filters.get(key)
        if field is None or value in ("", None, []):
            continue
        choices = dict(field.extra.get("choices") or ())
        values = value if isinstance(value, list) else [value]
        words = "、".join(str(choices.get(v, choices.get(_int(v), v))) for v in values)
        parts.append(f"{field.label}：{words}")
    return ("；".join(parts) or _("全部订单"))[:300]


def _int(value):
    return int(value) if str(value).isdigit() else value


def _clean_params(params) -> dict:
    """The list's query string as a plain dict (cursor and page size are not filters)."""
    skip = {"cursor", "size", "sort", "by", "format", "columns", "unmasked", "template"}
    return {k: v for k, v in dict(params).items() if k not in skip and v not in ("", None)}


def _asked(context: ConsoleContext, *, params: dict, by, fmt, columns) -> dict:
    """What an export and a daily export schedule both record of the request."""
    return dict(
        shop=context.shop,
        created_by=context_user(context),
        params=params,
        by=by,
        format=fmt,
        columns=[c.key for c in export.columns_of(columns)],
    )


@transaction.atomic
def export_create(
    *,
    context: ConsoleContext,
    params: dict,
    by: str = ExportBy.ITEM,
    fmt: str = ExportFormat.CSV,
    columns=(),
    unmasked: bool = False,
    schedule: ExportSchedule | None = None,
) -> OrderExport:
    """Record an export of the orders the list shows for `params`. Full receiver
    details need Perm.RECEIVER_REVEAL and are logged on each order like a reveal."""
    require_postgresql(_("订单导出"))
    if by not in ExportBy.values or fmt not in ExportFormat.values:
        raise ExportRefused(_("导出维度或格式不正确。"))
    if unmasked:
        context.require_perm(Perm.RECEIVER_REVEAL)
    params = _clean_params(params)
    orders = export.filtered_orders(context=context, params=params)
    record = OrderExport(
        **_asked(context, params=params, by=by, fmt=fmt, columns=columns),
        filter_text=filter_text(params),
        unmasked=unmasked,
        schedule=schedule,
        total=orders.count() if by == ExportBy.ORDER else _item_count(orders),
    )
    clean_or_raise(record, ExportRefused, exclude=("file",))
    record.save()
    if unmasked:
        _log_reveal(orders, context_user_id(context))
    return record


def _item_count(orders) -> int:
    sql, params = orders.order_by().values_list("pk", flat=True).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM orders_orderitem WHERE order_id IN ({sql})", params)
        return cursor.fetchone()[0]


def _log_reveal(orders, user_id) -> None:
    """One reveal event per exported order, written by the database in one statement."""
    sql, params = orders.order_by().values_list("pk", flat=True).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO orders_orderevent (order_id, kind, actor_id, actor_label, note, code, "
            f"params, created_at) SELECT pk, %s, %s, '', %s, '', '{{}}', now() FROM ({sql}) f",
            [OrderEventKind.RECEIVER_REVEAL, user_id, _("导出了收件人完整信息"), *params],
        )


def _context(record: OrderExport) -> ConsoleContext | None:
    if record.created_by is None:
        return None
    context = resolve_context(record.created_by, requested=f"shop:{record.shop_id}")
    return context if context.shop is not None and context.shop.pk == record.shop_id else None


def export_run(*, export_id: int) -> OrderExport:
    """Write the file of a recorded export (idempotent: a finished export is left)."""
    record = OrderExport.objects.select_related("created_by").get(pk=export_id)
    if record.status in (FileJobStatus.DONE, FileJobStatus.FAILED):
        return record
    context = _context(record)
    OrderExport.objects.filter(pk=export_id).update(status=FileJobStatus.RUNNING)
    if context is None:
        return _finish(record, error=_("导出人已不是本店成员。"))
    orders = export.filtered_orders(context=context, params=record.params)
    columns = export.columns_of(record.columns)

    def progress(rows):
        OrderExport.objects.filter(pk=export_id).update(rows=rows)

    with tempfile.TemporaryFile() as out:
        # Outside a transaction, so the progress is seen as it goes; the writer reads
        # every range in one snapshot.
        rows = export.WRITERS[record.format](
            out, orders, columns, by=record.by, masked=not record.unmasked, progress=progress
        )
        out.seek(0)
        record.file_name = export.file_name(fmt=record.format, by=record.by)
        record.file.save(f"{record.shop_id}/{record.file_name}", File(out), save=False)
    record.rows = rows
    return _finish(record)


def _finish(record: OrderExport, *, error: str = "") -> OrderExport:
    record.status = FileJobStatus.FAILED if error else FileJobStatus.DONE
    record.error = error[:300]
    record.finished_at = timezone.now()
    record.save()
    return record


def export_start(*, context: ConsoleContext, **options) -> OrderExport:
    """Create the export and run it now when small, else queue it for a worker."""
    from .tasks import export_run_task

    record = export_create(context=context, **options)
    if record.total <= inline_max_rows():
        return export_run(export_id=record.pk)
    OrderExport.objects.filter(pk=record.pk).update(status=FileJobStatus.QUEUED)
    transaction.on_commit(lambda: export_run_task.delay(record.pk))
    return record


def exports_purge(*, now=None) -> int:
    """Remove export files older than KEEP_DAYS days, with their records."""
    cutoff = (now or timezone.now()) - timedelta(days=KEEP_DAYS)
    removed = 0
    for record in OrderExport.objects.filter(created_at__lt=cutoff).iterator():
        if record.file:
            record.file.delete(save=False)
        record.delete()
        removed += 1
    return removed


@transaction.atomic
def export_template_save(*, context: ConsoleContext, name: str, by: str, columns) -> ExportTemplate:
    keys = [key for key in columns if key in BY_KEY]
    if not keys:
        raise ExportRefused(_("请至少选择一列。"), fields={"columns": [_("请至少选择一列。")]})
    template, _created = ExportTemplate.objects.update_or_create(
        shop=context.shop, name=(name or "").strip(), defaults={"by": by, "columns": keys}
    )
    clean_or_raise(template, ExportRefused)
    return template


@transaction.atomic
def export_schedule_create(
    *, context: ConsoleContext, name: str, params: dict, by, columns, fmt, at_time
) -> ExportSchedule:
    schedule = ExportSchedule(
        **_asked(context, params=_clean_params(params), by=by, fmt=fmt, columns=columns),
        name=name,
        at_time=at_time,
    )
    clean_or_raise(schedule, ExportRefused)
    schedule.save()
    return schedule


@transaction.atomic
def export_schedule_delete(*, context: ConsoleContext, schedule_id: int) -> None:
    """Stop a daily export (its past files stay in 导出记录 until they expire)."""
    get_scoped_or_404(ExportSchedule.objects.all(), context, pk=schedule_id).delete()


@transaction.atomic
def export_template_delete(*, context: ConsoleContext, template_id: int) -> None:
    get_scoped_or_404(ExportTemplate.objects.all(), context, pk=template_id).delete()


def export_schedules_run(*, now=None) -> int:
    """Start today's export of each active schedule whose time has come (once a day:
    `last_run_on` is claimed under a row lock, so repeated beats start it once)."""
    now = timezone.localtime(now)
    started = 0
    due = ExportSchedule.objects.filter(is_active=True, at_time__lte=now.time()).exclude(
        last_run_on=now.date()
    )
    for schedule_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            schedule = (
                ExportSchedule.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=schedule_id)
                .exclude(last_run_on=now.date())
                .select_related("created_by")
                .first()
            )
            if schedule is None or schedule.created_by is None:
                continue
            schedule.last_run_on = now.date()
            schedule.save(update_fields=["last_run_on"])
            context = resolve_context(schedule.created_by, requested=f"shop:{schedule.shop_id}")
            if context.shop is None or context.shop.pk != schedule.shop_id:
                continue
            export_start(context=context, **schedule.export_options())
            started += 1
    return started
