"""Shipping a confirmed batch, chunk by chunk, through the one shipping service; a
refusal by the shipping service fails only its row."""

import json
import logging
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from core.models import Said
from shops.roles import Perm
from shops.tenancy import ConsoleContext, resolve_context

from ..models import ShipBatch, ShipBatchRow, ShipBatchRowResult, ShipBatchStatus
from ..selectors import carrier_table
from ..services import ShipRequest, shipments_create
from .judge import RowJudge, Verdict, record
from .machine import BATCH_MACHINE

logger = logging.getLogger(__name__)

R = ShipBatchRowResult
# Rows per call of the shipping service: one transaction, a handful of queries.
CHUNK_ROWS = 1000


def _batch_context(batch: ShipBatch) -> ConsoleContext | None:
    """Who ships a confirmed batch: its uploader, as long as they may still ship here."""
    if batch.created_by is None:
        return None
    context = resolve_context(batch.created_by, requested=f"shop:{batch.shop_id}")
    if context.shop is None or context.shop.pk != batch.shop_id:
        return None
    return context if context.has_perm(Perm.ORDER_SHIP) else None


@transaction.atomic
def _start(batch_id: int) -> ShipBatch | None:
    batch = ShipBatch.objects.select_for_update().get(pk=batch_id)
    if batch.status not in (ShipBatchStatus.QUEUED, ShipBatchStatus.RUNNING):
        return None  # finished, or never confirmed: a repeated task does nothing
    if batch.status == ShipBatchStatus.QUEUED:
        BATCH_MACHINE.move_locked([batch], ShipBatchStatus.RUNNING)
        batch.save(update_fields=["status"])
    return batch


@transaction.atomic
def _end(batch_id: int, *, error: str = "") -> ShipBatch:
    batch = ShipBatch.objects.select_for_update().get(pk=batch_id)
    BATCH_MACHINE.move_locked([batch], ShipBatchStatus.FAILED if error else ShipBatchStatus.DONE)
    batch.error = error[: ShipBatch._meta.get_field("error").max_length]
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "error", "finished_at"])
    return batch


def _parcels(rows: list[ShipBatchRow], verdicts: dict[int, Verdict]) -> list[tuple]:
    """Rows of one order going out under the same tracking number are one parcel:
    [(ShipRequest, [rows])]."""
    groups: dict[tuple, list[ShipBatchRow]] = {}
    for row in rows:
        verdict = verdicts[row.pk]
        groups.setdefault((verdict.order.pk, verdict.carrier.pk, verdict.tracking_no), []).append(
            row
        )
    parcels = []
    for group in groups.values():
        first = verdicts[group[0].pk]
        quantities: dict[int, int] = defaultdict(int)
        for row in group:
            for item, quantity in verdicts[row.pk].lines:
                quantities[item.pk] += quantity
        request = ShipRequest(
            carrier=first.carrier, tracking_no=first.tracking_no, lines=list(quantities.items())
        )
        parcels.append((request, group))
    return parcels


def _shipped(group, shipment, outcome) -> None:
    reused = [r for r in outcome.reused if r["no"] == shipment.tracking_no]
    said = Said(
        "shipped",
        {"carrier": shipment.carrier.name, "tracking": shipment.tracking_no, "reused": reused},
    )
    for row in group:
        record(row, R.SHIPPED, said)
        row.shipment = shipment


def _ship(context: ConsoleContext, batch: ShipBatch, parcels) -> None:
    """One call of the shipping service for the whole chunk; when it refuses, parcel by
    parcel, so one bad row does not fail the others."""
    try:
        outcome = shipments_create(
            context=context, requests=[request for request, _group in parcels], batch=batch
        )
    except DomainError:
        for request, group in parcels:
            try:
                single = shipments_create(context=context, requests=[request], batch=batch)
            except DomainError as exc:
                for row in group:
                    record(row, R.FAILED, note=exc.message)
            else:
                _shipped(group, single.shipments[0], single)
        return
    for (_request, group), shipment in zip(parcels, outcome.shipments, strict=True):
        _shipped(group, shipment, outcome)


def _save_results(rows: list[ShipBatchRow]) -> None:
    """Write each row's result. One UPDATE per row sent with executemany (pipelined by
    psycopg): the rows share no values (each has its own shipment), and bulk_update's
    CASE expressions cost ~2 ms a row to build in Python."""
    table = connection.ops.quote_name(ShipBatchRow._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET result = %s, code = %s, params = %s::jsonb, note = %s,"
            " shipment_id = %s WHERE id = %s",
            [
                (row.result, row.code, json.dumps(row.params), row.note, row.shipment_id, row.pk)
                for row in rows
            ],
        )


@transaction.atomic
def _process_chunk(batch_id: int, context: ConsoleContext) -> bool:
    """Ship the next chunk of ready rows; False when none are left."""
    batch = ShipBatch.objects.select_for_update().get(pk=batch_id)
    rows = list(batch.rows.filter(result=R.READY).order_by("row_number")[:CHUNK_ROWS])
    if not rows:
        return False
    # Orders may have changed since the preview: judge again with what is true now.
    judge = RowJudge(shop_id=batch.shop_id, rows=rows, carriers=carrier_table())
    verdicts = {}
    for row in rows:
        verdict = judge.judge(row)
        if verdict.result == R.READY:
            verdicts[row.pk] = verdict
        else:
            failed = R.ALREADY_SHIPPED if verdict.result == R.ALREADY_SHIPPED else R.FAILED
            record(row, failed, verdict.said)
    ready = [row for row in rows if row.pk in verdicts]
    if ready:
        _ship(context, batch, _parcels(ready, verdicts))
    _save_results(rows)
    outcome = defaultdict(int)
    for row in rows:
        outcome[row.result] += 1
    ShipBatch.objects.filter(pk=batch_id).update(
        processed_rows=F("processed_rows") + len(rows),
        shipped_rows=F("shipped_rows") + outcome[R.SHIPPED],
        skipped_rows=F("skipped_rows") + outcome[R.ALREADY_SHIPPED],
        failed_rows=F("failed_rows") + outcome[R.FAILED],
    )
    return True


def ship_batch_process(*, batch_id: int) -> ShipBatch:
    """Ship a confirmed batch chunk by chunk, each chunk its own transaction, so the
    progress shows as it goes and a crash resumes where it stopped (only ready rows
    are picked up again)."""
    batch = _start(batch_id)
    if batch is None:
        return ShipBatch.objects.get(pk=batch_id)
    context = _batch_context(batch)
    if context is None:
        return _end(batch_id, error=_("上传人已不在本店或没有发货权限，批量发货未执行。"))
    try:
        while _process_chunk(batch_id, context):
            pass
    except Exception:
        logger.exception("ship batch %s failed", batch_id)
        _end(
            batch_id, error=_("发货过程中出错，已发出的包裹保留，剩余的行未处理。请稍后重新上传。")
        )
        raise
    return _end(batch_id)
