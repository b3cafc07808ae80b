"""Reads for 批量发货: past batches, one batch with its rows and counts, and the files it
offers for download (template and result report). Scoped through shops.tenancy."""

from django.db.models import Count, F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from orders.files.export import filtered_orders
from orders.filters import OrderTab
from orders.models import OrderItem, OrderStatus
from shops.tenancy import ConsoleContext, get_scoped_or_404, scope

from ..models import ShipBatch, ShipBatchRowResult
from ..selectors import carriers_active
from . import files

FORMATS = ("csv", "xlsx")


def ship_batch_list(*, context: ConsoleContext):
    return scope(ShipBatch.objects.select_related("created_by"), context).order_by(
        "-created_at", "-id"
    )


def ship_batch_get(*, context: ConsoleContext, batch_id: int) -> ShipBatch:
    return get_scoped_or_404(ShipBatch.objects.select_related("created_by"), context, pk=batch_id)


def ship_batch_rows(*, batch: ShipBatch):
    """The batch's rows in file order (narrowed by `logistics.filters.ShipBatchRowFilter`)."""
    return batch.rows.order_by("row_number")


def ship_batch_result_counts(*, batch: ShipBatch) -> dict[str, int]:
    counts = dict(batch.rows.values("result").annotate(n=Count("id")).values_list("result", "n"))
    return {result: counts.get(result, 0) for result in ShipBatchRowResult.values}


def ship_batch_earlier_upload(*, batch: ShipBatch) -> ShipBatch | None:
    """The last earlier upload of the very same file in this shop, if any."""
    return (
        ShipBatch.objects.filter(
            shop_id=batch.shop_id, file_sha256=batch.file_sha256, created_at__lt=batch.created_at
        )
        .order_by("-created_at")
        .first()
    )


def ship_batch_progress(batch: ShipBatch) -> int:
    """Per cent of rows processed, for the progress bar."""
    if not batch.total_rows:
        return 100
    return min(100, batch.processed_rows * 100 // batch.total_rows)


def _file(fmt: str, headers, rows, *, text_columns, notes=()) -> bytes:
    if fmt == "xlsx":
        return files.write_xlsx(headers, rows, text_columns=text_columns, notes=notes)
    return files.write_csv(headers, rows, text_columns=text_columns)


def ship_batch_template(fmt: str) -> bytes:
    """The empty template: 订单号, 快递公司, 快递单号, 子订单编号, 发货数量 (and, in XLSX, a
    sheet of instructions naming the accepted carriers)."""
    names = [carrier.name for carrier in carriers_active()]
    return _file(
        fmt,
        files.template_headers(),
        [],
        text_columns=(0, 2, 3),
        notes=files.template_notes(names),
    )


def ship_batch_report(*, batch: ShipBatch, fmt: str) -> bytes:
    """Every row with its result and message. Its first columns are the template's, so a
    merchant can fix the failed rows and upload the report again: what already shipped
    is recognised and not shipped twice."""
    headers = [
        *files.template_headers(),
        _("行号"),
        _("结果"),
        _("说明"),
    ]
    rows = [
        [
            row.order_no,
            row.carrier_text,
            row.tracking_no,
            row.item_no,
            row.quantity,
            row.row_number,
            str(ShipBatchRowResult(row.result).label),
            row.text,
        ]
        for row in batch.rows.order_by("row_number").iterator(chunk_size=2000)
    ]
    return _file(fmt, headers, rows, text_columns=(0, 2, 3))


def ship_batch_to_ship(*, context: ConsoleContext, params: dict, fmt: str) -> tuple[bytes, int]:
    """下载待发货订单: the template filled with the shop's orders still to ship under the
    order list's filter (orders.files.export.filtered_orders, tab 待发货), one row per
    order, so the warehouse only types carrier and number. A 部分发货 order gets a row
    per child order with what is left to ship. After the template's columns, what is in
    the parcel (the batch reader ignores extra columns)."""
    orders = filtered_orders(context=context, params={**params, "tab": OrderTab.TO_SHIP})
    orders = orders.prefetch_related(
        Prefetch("items", queryset=OrderItem.objects.order_by("id"))
    ).order_by(F("exp_ship_time").asc(nulls_last=True), "id")[: files.MAX_ROWS]
    rows = []
    for order in orders:
        left = [(i, i.quantity_to_ship) for i in order.items.all() if i.quantity_to_ship]
        partial = order.status == OrderStatus.PARTIALLY_SHIPPED
        for item, n in left if partial else [(None, 0)]:
            shown = [item] if item else [i for i, _n in left] or list(order.items.all())
            goods = "；".join(
                f"{i.product_title} {i.spec_text} ×{i.quantity}".strip() for i in shown
            )
            rows.append([order.order_no, "", "", item.item_no if item else "", n or "", goods])
    headers = [*files.template_headers(), _("商品")]
    return _file(fmt, headers, rows, text_columns=(0, 2, 3)), len(rows)


def report_file_name(batch: ShipBatch, fmt: str) -> str:
    stamp = timezone.localtime(batch.created_at).strftime("%Y%m%d-%H%M")
    return f"批量发货结果-{batch.pk}-{stamp}.{fmt}"
