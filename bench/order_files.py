"""Benchmark: order files at 抖店 scale.

1. Import 100,000 order lines in 抖店's format (GBK, leading tabs, ￥, rows of one order
   scattered through the file) into an empty shop: the wall rate of `import_orders`, and
   the practical limit measured in the same run — csv module + the same cleaning
   (`RowCleaner`) + streamed COPY of the items and orders into the same tables
   (orders_orderitem, orders_order: their indexes, triggers and foreign-key checks),
   nothing else, rolled back — and the ratio. Each is the median of --rounds runs (3; the
   imports each into an empty shop of its own). Also printed: the cleaning alone streamed
   into the import's staging table.
2. Re-import the same file into the first shop (all unchanged).
3. Fill the shop up to --export-rows child orders (default 1,000,000) by copying the
   imported ones with generate_series in SQL, then export them all to CSV (COPY … TO
   STDOUT) and to XLSX (write-only workbook; --xlsx-rows of them, the rate is printed).
Peak RSS is read from getrusage after each step (it only grows, so each figure is the
peak so far). Targets: import ≥ 60% of the limit and ≥ 15,000 rows/s, RSS ≤ 150 MB;
export ≥ 100,000 rows/s, RSS ≤ 200 MB.

    DATABASE_URL=postgres://… SECRET_KEY=… python bench/order_files.py [--lines N]
"""

import argparse
import csv
import multiprocessing
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from orders.files import export  # noqa: E402
from orders.files.columns import (  # noqa: E402
    COLUMNS,  # noqa: E402
    FEN,
    INT,
    ITEM,
    ORDER,
    TIME,
)
from orders.files.imports import ImportReport, _stage, import_orders  # noqa: E402
from orders.files.reading import MASKED, SLOT, RowCleaner, open_file  # noqa: E402
from orders.files.upsert_sql import KEYS, NULLABLE  # noqa: E402
from orders.models import Order, OrderItem  # noqa: E402
from shops.factories import MembershipFactory  # noqa: E402
from shops.tenancy import ConsoleContext, ContextKind  # noqa: E402

STATUSES = ["待支付", "待发货", "备货中", "部分发货", "已发货", "已完成", "已关闭"]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_file(path: Path, lines: int) -> None:
    """抖店-style GBK file: 2–3 lines per order, an order's lines scattered."""
    header = [c.header for c in COLUMNS]
    rows = []
    order = 0
    while len(rows) < lines:
        order += 1
        status = STATUSES[order % len(STATUSES)]
        for item in range(2 + order % 2):
            rows.append(
                {
                    "主订单编号": f"\t69{order:017d}",
                    "子订单编号": f"\t69{order:015d}{item:02d}",
                    "选购商品": f"纯棉短袖T恤 {order % 50}",
                    "商品规格": "颜色:白;尺码:L",
                    "商品数量": "1",
                    "商品ID": f"\t{3500000000 + order % 50}",
                    "商家编码": f"SKU-{order % 50}",
                    "商品单价": "￥99.00",
                    "商品金额": "￥99.00",
                    "订单应付金额": "￥1,099.00" if item == 0 else "￥99.00",
                    "运费": "￥0.00",
                    "收件人": "张*",
                    "收件人手机号": "138****1234",
                    "省": "浙江省",
                    "市": "杭州市",
                    "区": "西湖区",
                    "详细地址": "****",
                    "订单提交时间": "2026/11/01 12:00:00",
                    "支付完成时间": "2026-11-01 12:01:00" if status != "待支付" else "",
                    "订单状态": status,
                    "售后状态": "-",
                    "订单类型": "小店自卖",
                    "流量来源": "直播",
                }
            )
    rows = rows[:lines]
    random.Random(7).shuffle(rows)
    with path.open("w", encoding="gbk", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([row.get(h, "") for h in header] for row in rows)


def cleaning_rate(path: Path, shop_id: int) -> float:
    """csv + the same cleaning + streamed COPY into the import's staging table."""
    started = time.perf_counter()
    with transaction.atomic():
        layout, rows = open_file(str(path))
        report = ImportReport()
        _stage(shop_id, layout, rows, RowCleaner(layout), report, None)
        transaction.set_rollback(True)
    return report.rows / (time.perf_counter() - started)


def _stored(column, values):
    """The value the import stores for a column (upsert_sql.stored_value, in Python)."""
    value = values[SLOT[column.key]]
    if value is not None or column.target in NULLABLE or column.kind == TIME:
        return value
    if column.target == "channel":
        return 8
    if column.target == "traffic_source":
        return "other"
    if column.key == "unit_price":
        quantity = values[SLOT["quantity"]] or 1
        return (values[SLOT["goods_amount"]] or values[SLOT["paid"]] or 0) // quantity
    return 0 if column.kind in (FEN, INT) else ""


def practical_limit(path: Path, shop_id: int) -> float:
    """csv + the same cleaning + streamed COPY into the same tables: each item row as it
    is read (its order's id drawn from the sequence), then the orders with their totals;
    the foreign keys checked as a commit would; rolled back."""
    order_cols = [c for c in COLUMNS if c.level == ORDER and c.target and c.key not in KEYS]
    item_cols = [c for c in COLUMNS if c.level == ITEM and c.target and c.key not in KEYS]
    item_cols = [c for c in item_cols if c.key != "product_ref"]
    started = time.perf_counter()
    rows_read = 0
    with transaction.atomic(), connection.cursor() as cursor:
        layout, rows = open_file(str(path))
        cleaner = RowCleaner(layout)
        ids, orders, spare = {}, {}, []  # order_no → id / [first row's values, goods total]
        raw = cursor.cursor
        ids_from = connections.create_connection(connection.alias)
        ids_from.ensure_connection()
        draw = ids_from.connection
        names = ", ".join(c.target for c in item_cols)
        with raw.copy(
            "COPY orders_orderitem (shop_id, order_id, product_ref, image_url, "
            f"shipped_quantity, refunded_quantity, refunded_fen, item_no, {names}) FROM STDIN"
        ) as copy:
            for number, cells in rows:
                rows_read += 1
                values = cleaner.clean(number, cells)
                order_no = values[SLOT["order_no"]]
                if order_no not in ids:
                    if not spare:  # from another connection: this one is busy copying
                        spare = draw.execute("SELECT nextval('orders_order_id_seq') "
                                             "FROM generate_series(1, 5000)").fetchall()  # fmt: skip
                        spare = [n for (n,) in spare]
                    ids[order_no] = spare.pop()
                    orders[order_no] = [values, 0]
                orders[order_no][1] += values[SLOT["paid"]] or 0
                status = values[SLOT["status"]]
                quantity = values[SLOT["quantity"]]
                copy.write_row(
                    [shop_id, ids[order_no], values[SLOT["product_ref"]] or "", "",
                     quantity if status in (3, 5) else 0, 0, 0, values[SLOT["item_no"]],
                     *(_stored(c, values) for c in item_cols)]
                )  # fmt: skip
        names = ", ".join(c.target for c in order_cols)
        now = timezone.now()
        with raw.copy(
            "COPY orders_order (id, shop_id, order_no, status, buyer_id, buyer_nickname, "
            "receiver_street, goods_total_fen, paid_fen, pay_deadline, updated_at, video_id, "
            f"live_room_id, receiver_masked, {names}) FROM STDIN"
        ) as copy:
            for order_no, (values, goods) in orders.items():
                shipping = values[SLOT["shipping"]] or 0
                copy.write_row(
                    [ids[order_no], shop_id, order_no, values[SLOT["status"]], "", "", "",
                     goods, goods + shipping, values[SLOT["created_at"]], now, "", "",
                     values[SLOT[MASKED]], *(_stored(c, values) for c in order_cols)]
                )  # fmt: skip
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the checks a commit would make
        transaction.set_rollback(True)
        ids_from.close()
    return rows_read / (time.perf_counter() - started)


def in_child(function, *args):
    """`function(*args)` in a forked process (its memory is not the import's peak RSS)."""
    connection.close()  # the child opens its own
    receive, send = multiprocessing.Pipe(duplex=False)

    def run():
        send.send(function(*args))

    child = multiprocessing.get_context("fork").Process(target=run)
    child.start()
    send.close()  # a child that fails closes the pipe: recv raises instead of waiting
    result = receive.recv()
    child.join()
    return result


def _copy_sql(model, replace: dict[str, str]) -> tuple[str, str]:
    names = [f.column for f in model._meta.concrete_fields if f.column != "id"]
    return ", ".join(names), ", ".join(replace.get(n, f"x.{n}") for n in names)


def fill(shop_id: int, rows: int) -> int:
    """Copy the shop's imported orders and items under new numbers (the first digit
    replaced) until about `rows` child orders exist: PostgreSQL does it in two statements."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM orders_orderitem WHERE shop_id = %s", [shop_id])
        have = cursor.fetchone()[0]
        copies = min(9, max(0, -(-rows // have) - 1))
        digits = "{" + ",".join(d for d in "012345789"[:copies]) + "}"
        names, values = _copy_sql(Order, {"order_no": "g || substr(x.order_no, 2)"})
        cursor.execute(
            f"INSERT INTO orders_order ({names}) SELECT {values} FROM orders_order x, "
            f"unnest(%s::text[]) g WHERE x.shop_id = %s",
            [digits, shop_id],
        )
        names, values = _copy_sql(
            OrderItem, {"item_no": "g || substr(x.item_no, 2)", "order_id": "n.id"}
        )
        cursor.execute(
            f"INSERT INTO orders_orderitem ({names}) SELECT {values} FROM orders_orderitem x "
            f"JOIN orders_order o ON o.id = x.order_id, unnest(%s::text[]) g, orders_order n "
            f"WHERE x.shop_id = %s AND n.shop_id = x.shop_id "
            f"AND n.order_no = g || substr(o.order_no, 2)",
            [digits, shop_id],
        )
        cursor.execute("ANALYZE orders_order")
        cursor.execute("ANALYZE orders_orderitem")
        cursor.execute("SELECT count(*) FROM orders_orderitem WHERE shop_id = %s", [shop_id])
        return cursor.fetchone()[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--export-rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    # The import and the limit are each the median of these runs: one run on a shared
    # machine can land far from the others.
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    # In a child process: the migration graph (~28 MB) is the bench's setup, not the import's.
    in_child(call_command, "migrate", "--verbosity=0")
    owner = MembershipFactory(role="owner")
    shop_id = owner.shop_id
    work = Path(tempfile.mkdtemp())
    path = work / "douyin.csv"
    # In a child process: the shuffled rows in memory are the bench's, not the import's.
    maker = multiprocessing.get_context("fork").Process(target=make_file, args=(path, args.lines))
    maker.start()
    maker.join()
    print(f"file: {args.lines:,} lines, {path.stat().st_size / 1e6:.1f} MB GBK")

    limits = []
    for _round in range(args.rounds):
        limits.append(in_child(practical_limit, path, shop_id))
        # Its rolled-back rows are dead tuples in the tables the import writes to, and
        # autovacuum would clear them within a minute: the next run is timed after that.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    cleaning = in_child(cleaning_rate, path, shop_id)
    rates = []
    for round_ in range(args.rounds):
        # Each into an empty shop of its own; the first is the owner's, used below.
        target = shop_id if round_ == 0 else MembershipFactory(role="owner").shop_id
        started = time.perf_counter()
        report = import_orders(
            shop_id=target, source=str(path), file_name="douyin.csv", dry_run=False
        )
        rates.append(report.rows / (time.perf_counter() - started))
        assert report.errors == 0, report.error_list[:5]
    rate, limit = statistics.median(rates), statistics.median(limits)
    print(f"import: {rate:,.0f} rows/s; practical limit {limit:,.0f} rows/s; "
          f"ratio {rate / limit:.0%}; peak RSS {rss_mb():.0f} MB; "
          f"(cleaning + COPY into the staging table alone: {cleaning:,.0f} rows/s)")  # fmt: skip
    print(f"  {args.rounds} runs: import {', '.join(f'{r:,.0f}' for r in rates)}; "
          f"limit {', '.join(f'{r:,.0f}' for r in limits)} rows/s")  # fmt: skip
    started = time.perf_counter()
    again = import_orders(shop_id=shop_id, source=str(path), file_name="douyin.csv", dry_run=False)
    rate2 = again.rows / (time.perf_counter() - started)
    print(f"re-import (unchanged {again.unchanged:,}): {rate2:,.0f} rows/s; "
          f"peak RSS {rss_mb():.0f} MB")  # fmt: skip

    started = time.perf_counter()
    total = fill(shop_id, args.export_rows)
    print(f"filled to {total:,} child orders in {time.perf_counter() - started:.0f} s")
    context = ConsoleContext(ContextKind.SHOP, owner, None, [owner])
    orders = export.filtered_orders(context=context, params={})
    columns = export.columns_of(())
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        rows = export.write_csv(out, orders, columns, by="item", masked=True)
        csv_rate = rows / (time.perf_counter() - started)
    print(f"export CSV: {rows:,} rows, {csv_rate:,.0f} rows/s; peak RSS {rss_mb():.0f} MB")
    # XLSX is Python per cell: a slice of the orders (the newest), the rate is the figure.
    newest = orders.order_by("-pk").values_list("pk", flat=True)[args.xlsx_rows * 10 // 25]
    some = orders.filter(pk__gt=newest)
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        rows = export.write_xlsx(out, some, columns, by="item", masked=True)
        xlsx_rate = rows / (time.perf_counter() - started)
    print(f"export XLSX: {rows:,} rows, {xlsx_rate:,.0f} rows/s; peak RSS {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
