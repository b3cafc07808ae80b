"""Writes of 批量发货: preview an uploaded file (every row judged, nothing shipped) and
confirm it (shipped inline for small files, by a Celery worker for big ones)."""

import hashlib

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import context_user
from core.models import Said
from shops.roles import Perm
from shops.tenancy import ConsoleContext

from ..exceptions import ShipBatchRefused
from ..models import ShipBatch, ShipBatchRow, ShipBatchRowResult, ShipBatchStatus
from ..selectors import carrier_table
from . import files
from .judge import RowJudge, record, said_of
from .machine import BATCH_MACHINE
from .process import ship_batch_process

R = ShipBatchRowResult
# Files up to this many rows ship inline on confirm; bigger ones go to a Celery worker.
INLINE_MAX_ROWS_DEFAULT = 1000

_FIELD_LIMITS = {
    field: ShipBatchRow._meta.get_field(field).max_length
    for field in ("order_no", "item_no", "carrier_text", "tracking_no")
}


def inline_max_rows() -> int:
    return getattr(settings, "SHIP_BATCH_INLINE_MAX_ROWS", INLINE_MAX_ROWS_DEFAULT)


# --- preview -----------------------------------------------------------------------------


def _batch_row(file_row: files.FileRow, batch: ShipBatch) -> tuple[ShipBatchRow, Said | None]:
    """The row to store, and what is wrong with its cells (None when fine)."""
    values = {
        "order_no": file_row.order_no,
        "item_no": file_row.item_no,
        "carrier_text": file_row.carrier_text,
        "tracking_no": file_row.tracking_no,
    }
    problems = list(file_row.problems)
    for field, value in values.items():
        limit = _FIELD_LIMITS[field]
        if len(value) > limit:
            problems.append(Said("too_long", {"field": field, "value": value[:20]}))
            values[field] = value[:limit]
    row = ShipBatchRow(
        batch=batch, row_number=file_row.row_number, quantity=file_row.quantity, **values
    )
    return row, said_of(problems)


@transaction.atomic
def ship_batch_preview(*, context: ConsoleContext, upload) -> ShipBatch:
    """Read an uploaded file and judge every row; nothing ships until it is confirmed.

    A file that cannot be read as a whole raises ShipBatchFileRejected and writes nothing.
    """
    context.require_perm(Perm.ORDER_SHIP)
    content = upload.read()
    file_rows = files.read_ship_file(content)
    batch = ShipBatch(
        shop=context.shop,
        created_by=context_user(context),
        file_name=(upload.name or "upload")[-200:],
        file_sha256=hashlib.sha256(content).hexdigest(),
        total_rows=len(file_rows),
    )
    batch.full_clean()
    batch.save()
    built = [_batch_row(file_row, batch) for file_row in file_rows]
    rows = [row for row, _problem in built]
    judge = RowJudge(shop_id=batch.shop_id, rows=rows, carriers=carrier_table())
    for row, problem in built:
        verdict = judge.judge(row, problem)
        record(row, verdict.result, verdict.said)
    ShipBatchRow.objects.bulk_create(rows, batch_size=2000)
    return batch


@transaction.atomic
def ship_batch_confirm(*, context: ConsoleContext, batch_id: int) -> ShipBatch:
    """Start shipping a previewed batch: inline for small files, as a Celery job above
    `SHIP_BATCH_INLINE_MAX_ROWS` rows; both run `ship_batch_process` once this commits."""
    context.require_perm(Perm.ORDER_SHIP)
    try:
        batch = ShipBatch.objects.select_for_update().get(pk=batch_id, shop_id=context.shop.pk)
    except ShipBatch.DoesNotExist as exc:
        raise ShipBatchRefused(_("批量发货任务不存在。")) from exc
    BATCH_MACHINE.check(batch, ShipBatchStatus.QUEUED)
    counts = dict(
        batch.rows.exclude(result=R.READY)
        .values("result")
        .annotate(n=Count("id"))
        .values_list("result", "n")
    )
    BATCH_MACHINE.move_locked([batch], ShipBatchStatus.QUEUED)
    batch.confirmed_at = timezone.now()
    batch.failed_rows = counts.get(R.INVALID, 0)
    batch.skipped_rows = counts.get(R.ALREADY_SHIPPED, 0)
    batch.processed_rows = batch.failed_rows + batch.skipped_rows
    batch.save(
        update_fields=["status", "confirmed_at", "failed_rows", "skipped_rows", "processed_rows"]
    )
    if batch.total_rows <= inline_max_rows():
        transaction.on_commit(lambda: ship_batch_process(batch_id=batch.pk))
    else:
        # tasks imports this module; the task is only looked up when it is needed.
        from ..tasks import ship_batch_process_task

        transaction.on_commit(lambda: ship_batch_process_task.delay(batch.pk))
    return batch
