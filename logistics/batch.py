"""批量发货: an uploaded file is previewed row by row, confirmed, then shipped in chunks
through the one shipping service, `logistics.services.shipments_create`.

Every row is judged with data fetched in a handful of queries per chunk (orders, items,
open after-sales, parcels already carrying the same tracking numbers), so ten thousand
rows take seconds. Rows are judged again when they are shipped, since orders may have
changed since the preview; a refusal by the shipping service then fails only its row.
"""

import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import context_user
from core.exceptions import DomainError
from core.state import Machine
from orders.models import OPEN_AFTERSALE_STATUSES, AfterSale, Order, OrderItem
from orders.shipping import order_unshippable_reason, shipping_problems
from shops.roles import Perm
from shops.tenancy import ConsoleContext, resolve_context

from . import batch_files
from .exceptions import ShipBatchRefused
from .models import (
    Carrier,
    ParcelNumber,
    ShipBatch,
    ShipBatchRow,
    ShipBatchRowResult,
    ShipBatchStatus,
    ShipmentLine,
)
from .selectors import carrier_resolve, carrier_table, normalize_tracking_no, tracking_no_problem
from .services import ShipRequest, number_taken_message, shipments_create

logger = logging.getLogger(__name__)

R = ShipBatchRowResult
# Rows per call of the shipping service: one transaction, a handful of queries.
CHUNK_ROWS = 1000
# Files up to this many rows ship inline on confirm; bigger ones go to a Celery worker.
INLINE_MAX_ROWS_DEFAULT = 1000
# How many accepted carrier names an "unknown carrier" message lists.
CARRIER_HINTS = 6

_FIELD_LIMITS = {
    field: ShipBatchRow._meta.get_field(field).max_length
    for field in ("order_no", "item_no", "carrier_text", "tracking_no")
}
_MESSAGE_LIMIT = ShipBatchRow._meta.get_field("message").max_length
# What judging needs of a child order (quantity_to_ship reads the quantities).
ITEM_FIELDS = ("id", "order_id", "item_no", "quantity", "shipped_quantity", "refunded_quantity")


def inline_max_rows() -> int:
    return getattr(settings, "SHIP_BATCH_INLINE_MAX_ROWS", INLINE_MAX_ROWS_DEFAULT)


# --- judging rows ------------------------------------------------------------------------


@dataclass
class Verdict:
    result: str
    message: str
    # For rows that can ship: the parcel to create.
    carrier: Carrier | None = None
    tracking_no: str = ""
    order: Order | None = None
    lines: tuple[tuple[OrderItem, int], ...] = ()


class RowJudge:
    """Judges rows of one shop in file order, with everything it needs fetched up front.

    Quantities planned by earlier rows count against later ones, so a file cannot ship
    more than is owed, nor the same line twice.
    """

    def __init__(self, *, shop_id: int, rows, carriers: dict[str, Carrier]):
        self.carriers = carriers
        order_nos = {row.order_no for row in rows if row.order_no}
        self.orders = {
            order.order_no: order
            for order in Order.objects.filter(shop_id=shop_id, order_no__in=order_nos).only(
                "id", "order_no", "status"
            )
        }
        order_ids = [order.pk for order in self.orders.values()]
        self.items: dict[int, list[OrderItem]] = defaultdict(list)
        for item in (
            OrderItem.objects.filter(order_id__in=order_ids).only(*ITEM_FIELDS).order_by("id")
        ):
            self.items[item.order_id].append(item)
        self.open_aftersales = {
            aftersale.item_id: aftersale
            for aftersale in AfterSale.objects.filter(
                order_id__in=order_ids, status__in=OPEN_AFTERSALE_STATUSES
            )
        }
        tracking_nos = {normalize_tracking_no(row.tracking_no) for row in rows if row.tracking_no}
        self.shipped: set[tuple] = set()
        for order_id, item_id, tracking_no in ShipmentLine.objects.filter(
            order_id__in=order_ids, shipment__tracking_no__in=tracking_nos
        ).values_list("order_id", "item_id", "shipment__tracking_no"):
            self.shipped.add((order_id, None, tracking_no))
            self.shipped.add((order_id, item_id, tracking_no))
        # Numbers another shop's parcel holds: refused here already, row by row.
        self.taken = set(
            ParcelNumber.objects.filter(tracking_no__in=tracking_nos)
            .exclude(shop_id=shop_id)
            .values_list("carrier_id", "tracking_no")
        )
        # A 子订单编号 pasted into the 订单号 column: say so instead of "not found".
        unknown = order_nos - set(self.orders)
        self.item_nos = set(
            OrderItem.objects.filter(shop_id=shop_id, item_no__in=unknown).values_list(
                "item_no", flat=True
            )
        )
        self.planned: dict[int, int] = defaultdict(int)
        self.planned_by: dict[int, int] = {}
        self.seen: dict[tuple, int] = {}

    @staticmethod
    def _missing(row) -> str:
        missing = [
            label
            for label, value in (
                (_("订单号"), row.order_no),
                (_("快递公司"), row.carrier_text),
                (_("快递单号"), row.tracking_no),
            )
            if not value
        ]
        return _("缺少%(what)s。") % {"what": "、".join(missing)}

    def _carrier_hint(self) -> str:
        names = list(dict.fromkeys(carrier.name for carrier in self.carriers.values()))
        return "、".join(names[:CARRIER_HINTS])

    def judge(self, row, problem: str = "") -> Verdict:
        verdict = self._judge(row, problem)
        if verdict.result == R.READY:
            for item, quantity in verdict.lines:
                self.planned[item.pk] += quantity
                self.planned_by.setdefault(item.pk, row.row_number)
        return verdict

    def _judge(self, row, problem: str) -> Verdict:  # noqa: C901 - one rule per branch, in order
        if problem:
            return Verdict(R.INVALID, problem)
        if not (row.order_no and row.carrier_text and row.tracking_no):
            return Verdict(R.INVALID, self._missing(row))
        tracking_no = normalize_tracking_no(row.tracking_no)
        key = (row.order_no, row.item_no, tracking_no)
        if key in self.seen:
            return Verdict(
                R.INVALID,
                _("与第 %(n)s 行重复（同一订单、子订单和快递单号），只按第 %(n)s 行处理。")
                % {"n": self.seen[key]},
            )
        self.seen[key] = row.row_number

        order = self.orders.get(row.order_no)
        if order is None:
            if row.order_no in self.item_nos:
                return Verdict(
                    R.INVALID,
                    _(
                        "%(no)s 是子订单编号：订单号一列请填主订单编号，子订单编号填在“子订单编号”列。"
                    )
                    % {"no": row.order_no},
                )
            return Verdict(
                R.INVALID,
                _("订单号 %(no)s 不存在，请核对是否为本店订单的主订单编号。")
                % {"no": row.order_no},
            )
        carrier = carrier_resolve(row.carrier_text, self.carriers)
        if carrier is None:
            return Verdict(
                R.INVALID,
                _("快递公司“%(text)s”无法识别，可填写名称、简称或编码，例如：%(names)s。")
                % {"text": row.carrier_text, "names": self._carrier_hint()},
            )
        problem = tracking_no_problem(carrier, tracking_no)
        if problem:
            return Verdict(R.INVALID, problem)
        if (carrier.pk, tracking_no) in self.taken:
            return Verdict(R.INVALID, number_taken_message(carrier, tracking_no))
        items = self.items[order.pk]
        item = None
        if row.item_no:
            item = next((i for i in items if i.item_no == row.item_no), None)
            if item is None:
                return Verdict(
                    R.INVALID,
                    _("子订单编号 %(item)s 不属于订单 %(no)s。")
                    % {"item": row.item_no, "no": order.order_no},
                )
        if (order.pk, item.pk if item else None, tracking_no) in self.shipped:
            return Verdict(
                R.ALREADY_SHIPPED,
                _("订单 %(no)s 已用快递单号 %(tracking)s 发过货，未重复发货。")
                % {"no": order.order_no, "tracking": tracking_no},
            )
        refused = order_unshippable_reason(order)
        if refused is not None:
            return Verdict(R.INVALID, refused)
        if row.quantity is not None and item is None:
            return Verdict(R.INVALID, _("填写了发货数量时，请同时填写子订单编号。"))
        lines = self._lines(order, items, item, row.quantity)
        if isinstance(lines, str):
            return Verdict(R.INVALID, lines)
        problems = shipping_problems(
            order, lines, self.open_aftersales, owed={i.pk: self._left(i) for i, _q in lines}
        )
        if problems:
            message = next(iter(problems.values()))
            if item is None and len(lines) > 1:
                message += _("其他商品可填写子订单编号分别发货。")
            return Verdict(R.INVALID, message)
        count = sum(quantity for _item, quantity in lines)
        return Verdict(
            R.READY,
            _("可发货：%(carrier)s %(tracking)s，%(n)s 件。")
            % {"carrier": carrier.name, "tracking": tracking_no, "n": count},
            carrier=carrier,
            tracking_no=tracking_no,
            order=order,
            lines=tuple(lines),
        )

    def _left(self, item: OrderItem) -> int:
        return item.quantity_to_ship - self.planned[item.pk]

    def _lines(self, order, items, item, quantity):
        """The (item, quantity) lines a row ships, or why it ships nothing."""
        if item is not None:
            left = self._left(item)
            wanted = left if quantity is None else quantity
            if left <= 0 or wanted > left:
                message = _("子订单 %(item)s 待发货 %(left)s 件，不能发 %(want)s 件。") % {
                    "item": item.item_no,
                    "left": max(left, 0),
                    "want": wanted if quantity is not None else item.quantity,
                }
                if item.pk in self.planned_by:
                    message += _("（第 %(n)s 行已安排发货 %(planned)s 件）") % {
                        "n": self.planned_by[item.pk],
                        "planned": self.planned[item.pk],
                    }
                return message
            return [(item, wanted)]
        lines = [(i, self._left(i)) for i in items if self._left(i) > 0]
        if not lines:
            earlier = sorted({self.planned_by[i.pk] for i in items if i.pk in self.planned_by})
            if earlier:
                return _("订单 %(no)s 的商品已由第 %(rows)s 行安排发货，这一行没有可发的数量。") % {
                    "no": order.order_no,
                    "rows": "、".join(map(str, earlier)),
                }
            return _("订单 %(no)s 没有待发货的商品。") % {"no": order.order_no}
        return lines


def _apply(row: ShipBatchRow, verdict: Verdict) -> None:
    row.result = verdict.result
    row.message = verdict.message[:_MESSAGE_LIMIT]


# --- preview -----------------------------------------------------------------------------


def _batch_row(file_row: batch_files.FileRow, batch: ShipBatch) -> tuple[ShipBatchRow, str]:
    """The row to store, and what is wrong with its cells ("" when fine)."""
    values = {
        "order_no": file_row.order_no,
        "item_no": file_row.item_no,
        "carrier_text": file_row.carrier_text,
        "tracking_no": file_row.tracking_no,
    }
    problems = [file_row.problem] if file_row.problem else []
    for field, value in values.items():
        limit = _FIELD_LIMITS[field]
        if len(value) > limit:
            problems.append(
                _("%(column)s“%(value)s…”太长。")
                % {"column": ShipBatchRow._meta.get_field(field).verbose_name, "value": value[:20]}
            )
            values[field] = value[:limit]
    row = ShipBatchRow(
        batch=batch, row_number=file_row.row_number, quantity=file_row.quantity, **values
    )
    return row, " ".join(problems)


@transaction.atomic
def ship_batch_preview(*, context: ConsoleContext, upload) -> ShipBatch:
    """Read an uploaded file and judge every row; nothing ships until it is confirmed.

    A file that cannot be read as a whole raises ShipBatchFileRejected and writes nothing.
    """
    context.require_perm(Perm.ORDER_SHIP)
    content = upload.read()
    file_rows = batch_files.read_ship_file(content)
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
        _apply(row, judge.judge(row, problem))
    ShipBatchRow.objects.bulk_create(rows, batch_size=2000)
    return batch


# --- confirm and process -----------------------------------------------------------------

B = ShipBatchStatus
BATCH_TRANSITIONS: dict[str, frozenset[str]] = {
    B.PREVIEWED: frozenset({B.QUEUED}),
    B.QUEUED: frozenset({B.RUNNING}),
    # A crashed run is picked up again while RUNNING (only ready rows are left).
    B.RUNNING: frozenset({B.DONE, B.FAILED}),
    B.DONE: frozenset(),
    B.FAILED: frozenset(),
}


def _refuse_batch(batch: ShipBatch, from_status: str, to_status: str) -> ShipBatchRefused:
    if to_status == B.QUEUED:
        return ShipBatchRefused(
            _("这个批量发货任务已经确认过（%(status)s），不能再次确认。")
            % {"status": B(from_status).label}
        )
    return ShipBatchRefused(
        _("批量发货任务当前为“%(from)s”，不能变为“%(to)s”。")
        % {"from": B(from_status).label, "to": B(to_status).label}
    )


# Not repeatable: confirming a confirmed batch is refused, not skipped.
BATCH_MACHINE = Machine(
    BATCH_TRANSITIONS, label=lambda status: B(status).label, refusal=_refuse_batch, repeatable=False
)


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
        from .tasks import ship_batch_process_task

        transaction.on_commit(lambda: ship_batch_process_task.delay(batch.pk))
    return batch


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


def _shipped(group, shipment, warnings=()) -> None:
    for row in group:
        row.result = R.SHIPPED
        row.shipment = shipment
        row.message = " ".join(
            [
                _("已发货：%(carrier)s %(tracking)s。")
                % {"carrier": shipment.carrier.name, "tracking": shipment.tracking_no},
                *map(str, warnings),
            ]
        )[:_MESSAGE_LIMIT]


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
                    row.result = R.FAILED
                    row.message = str(exc.message)[:_MESSAGE_LIMIT]
            else:
                _shipped(group, single.shipments[0], single.warnings)
        return
    for (_request, group), shipment in zip(parcels, outcome.shipments, strict=True):
        _shipped(group, shipment, outcome.warnings)


def _save_results(rows: list[ShipBatchRow]) -> None:
    """Write each row's result. One UPDATE per row sent with executemany (pipelined by
    psycopg): the rows share no values (each has its own shipment), and bulk_update's
    CASE expressions cost ~2 ms a row to build in Python."""
    table = connection.ops.quote_name(ShipBatchRow._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET result = %s, message = %s, shipment_id = %s WHERE id = %s",
            [(row.result, row.message, row.shipment_id, row.pk) for row in rows],
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
            row.result = R.ALREADY_SHIPPED if verdict.result == R.ALREADY_SHIPPED else R.FAILED
            row.message = verdict.message[:_MESSAGE_LIMIT]
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
