"""Writing order files. PostgreSQL formats the rows itself from the column declaration
(orders.files.columns) and streams them: CSV through COPY … TO STDOUT, XLSX through a
server-side cursor into openpyxl's write-only workbook. Memory stays flat whatever the
size; the orders are taken in ranges of primary keys, newest first, so progress can be
recorded between ranges."""

import io
from decimal import Decimal

from django.db import connection
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

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
    formatting); the outer one formats the cells."""
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
            "WHERE o.id IN ({orders}) AND o.id <= %s AND o.id > %s OFFSET 0) x "
            "ORDER BY x.pk_ DESC"
        )
    values = ", ".join(f"{raw_sql(c)} AS {c.key}" for c in columns)
    cells = ", ".join(render_sql(c, f"x.{c.key}", csv=csv, masked=masked) for c in columns)
    return (
        f"SELECT {cells} FROM (SELECT i.order_id AS order_, i.id AS item_, {values} "
        "FROM orders_orderitem i JOIN orders_order o ON o.id = i.order_id "
        "LEFT JOIN shops_creator c ON c.id = o.creator_id "
        "WHERE i.order_id IN ({orders}) AND i.order_id <= %s AND i.order_id > %s OFFSET 0) x "
        "ORDER BY x.order_ DESC, x.item_"
    )


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
    orders_sql, orders_params = (
        orders.order_by().values_list("pk", flat=True).query.sql_with_params()
    )
    template = _select(columns, by=by, csv=csv, masked=masked)
    statement = template.replace("{orders}", orders_sql)
    for high, low in _ranges(orders_sql, orders_params):
        yield statement, [*orders_params, high, low]


def headers(columns) -> list[str]:
    return [c.header for c in columns]


def write_csv(out, orders, columns, *, by: str, masked: bool, progress=None) -> int:
    """Stream the rows as UTF-8 CSV with a BOM into the binary file `out`; returns the
    number of rows. `progress(rows)` is called after each range."""
    out.write(BOM)
    out.write((",".join(headers(columns)) + "\r\n").encode())
    rows = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3: COPY is on the driver's cursor
        for statement, params in _plan(orders, columns, by=by, csv=True, masked=masked):
            copy_sql = f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)"
            with raw.copy(copy_sql, params) as copy:
                for chunk in copy:
                    out.write(chunk)
                    rows += bytes(chunk).count(b"\n")
            if progress:
                progress(rows)
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
    rows = 0
    for statement, params in _plan(orders, columns, by=by, csv=False, masked=masked):
        with connection.chunked_cursor() as cursor:
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
        cursor.execute(statement, [list(item_ids), 2**62, 0])
        yield from cursor.fetchall()
