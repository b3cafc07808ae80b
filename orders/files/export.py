"""Writing order files. PostgreSQL formats the rows itself from the column declaration
(orders.files.columns) and streams them: CSV through COPY … TO STDOUT, XLSX through a
server-side cursor into openpyxl's write-only workbook. Memory stays flat whatever the
size; the orders are taken in ranges of primary keys, newest first, so progress can be
recorded between ranges. A file of several ranges is read on connections of its own in
one REPEATABLE READ snapshot (as `pg_dump -j` does), CSV ranges side by side, so every
range sees the same moment and PostgreSQL formats on as many cores as it is given."""

import io
import queue
import shutil
import tempfile
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from decimal import Decimal

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from psycopg import sql

from core.exceptions import require_postgresql
from core.exports import neutralise
from shops.tenancy import ConsoleContext, scope

from ..filters import OrderFilter, OrderTab
from ..models import Order
from .columns import BY_KEY, COLUMNS, FEN, ID, INT, ITEM, OrderColumn, raw_sql, render_sql
from .models import ExportBy

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Orders per range: one COPY statement, then a progress update.
RANGE_ORDERS = 20_000
# A range's CSV is held in memory up to this size, then on disk, until its turn.
SPOOL_BYTES = 8 * 1024 * 1024
BOM = "\ufeff".encode()


def columns_of(keys) -> list[OrderColumn]:
    """The chosen columns in the declaration's order (all when none are chosen)."""
    chosen = [BY_KEY[key] for key in keys or () if key in BY_KEY]
    return [c for c in COLUMNS if c in chosen] or list(COLUMNS)


def filtered_orders(*, context: ConsoleContext, params: dict):
    """The shop's orders exactly as the order list shows them for `params` (tab and
    filters, orders.filters.OrderFilter)."""
    data = {key: value for key, value in (params or {}).items() if value not in ("", None, [])}
    data.setdefault("tab", OrderTab.ALL)
    filterset = OrderFilter(data, queryset=scope(Order.objects.all(), context))
    return filterset.qs if filterset.is_valid() else filterset.queryset.none()


def _select(columns, *, by: str, csv: bool, masked: bool) -> str:
    """One range's statement. The inner query reads each raw value once (OFFSET 0 keeps
    PostgreSQL from pulling it up and evaluating a subquery column once per use in the
    formatting); the outer one formats the cells. PostgreSQL's SQL: NeedsPostgreSQL
    on another database, before any file is written."""
    require_postgresql(_("订单导出"))
    if by == ExportBy.ORDER:
        item_columns = [c for c in columns if c.level == ITEM]
        aggregates = ", ".join(
            (
                f"sum({raw_sql(c)}) AS {c.key}"
                if c.kind in (FEN, INT)
                else f"string_agg(({_item_text(c)}), ';' ORDER BY i.id) AS {c.key}"
            )
            for c in item_columns
        )
        values = ", ".join(
            f"agg.{c.key} AS {c.key}" if c.level == ITEM else f"{raw_sql(c)} AS {c.key}"
            for c in columns
        )
        cells = ", ".join(
            f"x.{c.key}"
            if c.level == ITEM and c.kind not in (FEN, INT, ID)
            else render_sql(c, f"x.{c.key}", csv=csv, masked=masked)
            for c in columns
        )
        lateral = (
            f"LEFT JOIN LATERAL (SELECT {aggregates} FROM orders_orderitem i "
            "WHERE i.order_id = o.id) agg ON true "
            if item_columns
            else ""
        )
        return (
            f"SELECT {cells} FROM (SELECT o.id AS pk_, {values} FROM orders_order o {lateral}"
            "LEFT JOIN shops_creator c ON c.id = o.creator_id "
            "WHERE o.id IN ({orders}) AND o.id <= {high} AND o.id > {low} OFFSET 0) x "
            "ORDER BY x.pk_ DESC"
        )
    # Each side formats its own cells: an order's cells once per order, not per item.
    order_side = [c for c in columns if c.level != ITEM]
    item_side = [c for c in columns if c.level == ITEM]
    return (
        f"SELECT {', '.join(f'{_side(c)}.{c.key}' for c in columns)} FROM ("
        f"{_formatted(order_side, csv=csv, masked=masked, pk='o.id')} FROM orders_order o "
        "LEFT JOIN shops_creator c ON c.id = o.creator_id "
        "WHERE o.id IN ({orders}) AND o.id <= {high} AND o.id > {low} OFFSET 0) x) oc "
        f"JOIN ({_formatted(item_side, csv=csv, masked=masked, pk='i.order_id, i.id')} "
        "FROM orders_orderitem i WHERE i.order_id <= {high} AND i.order_id > {low} OFFSET 0) x) ic "
        "ON ic.order_id = oc.id ORDER BY oc.id DESC, ic.id"
    )


def _side(column: OrderColumn) -> str:
    return "ic" if column.level == ITEM else "oc"


def _formatted(columns, *, csv: bool, masked: bool, pk: str) -> str:
    """The start of a statement formatting `columns` over a subquery `x` that reads each
    raw value once (OFFSET 0 keeps PostgreSQL from pulling it up and evaluating a
    subquery column once per use in the formatting); the caller adds FROM … OFFSET 0) x."""
    keys = [name.split(".")[1] for name in pk.split(", ")]
    cells = ", ".join(
        [*(f"x.{key}" for key in keys)]
        + [f"{render_sql(c, f'x.{c.key}', csv=csv, masked=masked)} AS {c.key}" for c in columns]
    )
    values = ", ".join([pk] + [f"{raw_sql(c)} AS {c.key}" for c in columns])
    return f"SELECT {cells} FROM (SELECT {values}"


def _item_text(column: OrderColumn) -> str:
    """A 子订单 cell inside a 主订单 row's ';'-joined list (labels, masks, formulas done
    per item; ids without Excel's tab, which goes once in front of the list)."""
    if column.kind == ID:
        return f"({raw_sql(column)})::text"
    return render_sql(column, raw_sql(column), csv=False, masked=False)


def _ranges(orders_sql: str, orders_params) -> list[tuple[int, int]]:
    """(high, low] primary-key ranges of RANGE_ORDERS orders each, newest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT pk FROM (SELECT pk, row_number() OVER (ORDER BY pk DESC) AS n "
            f"FROM ({orders_sql}) f) r WHERE n %% %s = 0 ORDER BY pk DESC",
            [*orders_params, RANGE_ORDERS],
        )
        bounds = [row[0] for row in cursor.fetchall()]
    highs = [2**62, *(bound - 1 for bound in bounds)]
    lows = [bound - 1 for bound in bounds] + [0]
    return list(zip(highs, lows, strict=True))


def _plan(orders, columns, *, by, csv, masked):
    """One statement per range; the range is applied to the filtered orders too, so
    PostgreSQL reads only that range of them."""
    template = _select(columns, by=by, csv=csv, masked=masked)
    orders = orders.order_by().values_list("pk", flat=True)
    for high, low in _ranges(*orders.query.sql_with_params()):
        orders_sql, params = orders.filter(pk__lte=high, pk__gt=low).query.sql_with_params()
        # The bounds are our own integers, written in so the planner sees them.
        statement = template.replace("{orders}", orders_sql)
        yield statement.replace("{high}", str(high)).replace("{low}", str(low)), params


def headers(columns) -> list[str]:
    return [c.header for c in columns]


@contextmanager
def _readers(count: int):
    """`count` psycopg connections of their own, each in a read-only REPEATABLE READ
    transaction sharing the first one's snapshot, with JIT off (it compiles these wide
    expressions for longer than they take to run)."""
    wrappers, raws = [], []
    try:
        snapshot = None
        for _reader in range(count):
            wrapper = connections.create_connection(connection.alias)
            wrapper.ensure_connection()
            wrappers.append(wrapper)
            raw = wrapper.connection
            raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            if snapshot is None:
                snapshot = raw.execute("SELECT pg_export_snapshot()").fetchone()[0]
            else:
                raw.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(snapshot))
            raw.execute("SET LOCAL jit = off")
            raws.append(raw)
        yield raws
    finally:
        for wrapper in wrappers:
            wrapper.close()


@contextmanager
def _this_connection():
    """A one-range file: the caller's connection (and transaction) in one statement."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield [cursor.connection]


def _reading(plan, *, side_by_side: bool):
    if len(plan) == 1:
        return _this_connection()
    return _readers(max(1, settings.ORDER_EXPORT_CONNECTIONS) if side_by_side else 1)


def _copy_range(raw, statement, params) -> tuple[tempfile.SpooledTemporaryFile, int]:
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - the caller closes it
    rows = 0
    with raw.cursor() as cursor:
        copy_sql = f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)"
        with cursor.copy(copy_sql, params) as copy:
            for row in copy:  # libpq hands COPY data over one row at a time
                spool.write(row)
                rows += 1
    spool.seek(0)
    return spool, rows


def write_csv(out, orders, columns, *, by: str, masked: bool, progress=None) -> int:
    """Stream the rows as UTF-8 CSV with a BOM into the binary file `out`; returns the
    number of rows. `progress(rows)` is called after each range, in file order."""
    plan = list(_plan(orders, columns, by=by, csv=True, masked=masked))
    out.write(BOM)
    out.write((",".join(headers(columns)) + "\r\n").encode())
    rows = 0
    with _reading(plan, side_by_side=True) as raws:
        free = queue.SimpleQueue()
        for raw in raws:
            free.put(raw)

        def copy_range(statement, params):
            raw = free.get()
            try:
                return _copy_range(raw, statement, params)
            finally:
                free.put(raw)

        def append(future):
            nonlocal rows
            spool, count = future.result()
            with spool:
                shutil.copyfileobj(spool, out)
            rows += count
            if progress:
                progress(rows)

        # A range or two ahead at most: the spools stay few, memory flat.
        with ThreadPoolExecutor(len(raws)) as pool:
            pending = deque()
            for statement, params in plan:
                pending.append(pool.submit(copy_range, statement, params))
                if len(pending) > len(raws):
                    append(pending.popleft())
            while pending:
                append(pending.popleft())
    return rows


def _xlsx_cell(sheet, column: OrderColumn, value):
    if value is None:
        return None
    if column.kind == FEN and ";" not in value:
        cell = WriteOnlyCell(sheet, value=Decimal(value))
        cell.number_format = "0.00"
        return cell
    if column.kind == INT and value.isdigit():
        return int(value)
    if column.kind == ID:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "@"  # ids stay text, never 6.9E+18
        return cell
    return neutralise(value)


def write_xlsx(out, orders, columns, *, by: str, masked: bool, progress=None) -> int:
    """Stream the rows into a write-only workbook (numbers as numbers, ids as text)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("订单")
    sheet.append(headers(columns))
    plan = list(_plan(orders, columns, by=by, csv=False, masked=masked))
    rows = 0
    with _reading(plan, side_by_side=False) as (raw,):
        for number, (statement, params) in enumerate(plan):
            # A server-side cursor: the rows come 2,000 at a time, never all at once.
            with raw.cursor(name=f"order_export_{number}") as cursor:
                cursor.execute(statement, params)
                while batch := cursor.fetchmany(2000):
                    for values in batch:
                        sheet.append(
                            [_xlsx_cell(sheet, c, v) for c, v in zip(columns, values, strict=True)]
                        )
                    rows += len(batch)
            if progress:
                progress(rows)
    workbook.save(out)
    return rows


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}


def render(orders, columns, *, by: str, fmt: str, masked: bool) -> tuple[bytes, int]:
    """A small file in memory (the inline download and the tests)."""
    buffer = io.BytesIO()
    rows = WRITERS[fmt](buffer, orders, columns, by=by, masked=masked)
    return buffer.getvalue(), rows


def file_name(*, fmt: str, by: str, now=None) -> str:
    stamp = timezone.localtime(now).strftime("%Y%m%d%H%M%S")
    kind = "主订单" if by == ExportBy.ORDER else "子订单"
    return f"订单导出_{kind}_{stamp}.{fmt}"


def export_rows(*, item_ids, columns):
    """Rows (cells as text, no Excel tab) of the given child orders, for the admin."""
    statement = _select(columns, by=ExportBy.ITEM, csv=False, masked=True).replace(
        "{orders}", "SELECT order_id FROM orders_orderitem WHERE id = ANY(%s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            statement.replace("{high}", str(2**62)).replace("{low}", "0"), [list(item_ids)]
        )
        yield from cursor.fetchall()
