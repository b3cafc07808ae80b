"""订单导入: an order file upserted into a shop, keyed by 子订单编号.

Rows stream from the file through the declared cleaning (orders.files.reading) into a
temporary staging table with COPY; then a few set-based statements judge and write
them all: new orders and items inserted, changed ones updated (only the columns the
file has; a masked receiver never overwrites a full one), status changes made by
`orders.status.orders_sync_status` as a sync event naming the file. Stock never moves:
imported orders are history. Any error writes nothing (one transaction)."""

from dataclasses import asdict, dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from psycopg.errors import UniqueViolation

from core.exceptions import DomainError, require_postgresql
from core.tabular import UpsertCounts

from ..stats.recompute import days_of_orders, refresh
from ..status import orders_sync_status
from .columns import COLUMNS, FEN, ID, INT, ITEM, ORDER, TEXT, TIME
from .reading import (
    FIRST_OF_ORDER,
    MASKED,
    MAX_ISSUES_LISTED,
    ROW_FIELDS,
    ROW_NUMBER,
    Issue,
    RowCleaner,
    open_file,
)
from .upsert_sql import (
    PRODUCT_REF,
    assign,
    differs,
    item_columns,
    item_differs,
    masked_after,
    order_differs,
    present_columns,
    stored_value,
)

STAGED = list(COLUMNS)
PROGRESS_EVERY = 10_000
# An order this file did not create (only those can need an update); by number, so the
# file's rows of new orders drop out before any join with the shop's orders.
NOT_NEW = "NOT EXISTS (SELECT 1 FROM import_new_orders n WHERE n.order_no = {order_no})"
NOT_AN_ITEM = ("WHERE NOT EXISTS (SELECT 1 FROM orders_orderitem e "
               "WHERE e.shop_id = %s AND e.item_no = s.item_no)")  # fmt: skip


class ImportCollided(
    DomainError,
    code="import_collided",
    message=gettext_lazy(
        "另一个导入正在写入同一批订单，本次没有导入任何数据：请等它完成后重新导入。"
    ),
):
    """Another import wrote some of the same orders or 子订单 between this one's judging
    and its writes (it committed first, or holds their keys until it does)."""


class ImportAborted(Exception):
    """Raised inside the transaction to undo a dry run, a file with errors or one that
    changes nothing (its staging tables go with it)."""


@dataclass
class ImportReport(UpsertCounts):
    orders: int = 0
    items: int = 0
    errors: int = 0
    warnings: int = 0
    paid_fen: int = 0
    error_list: list[Issue] = field(default_factory=list)
    warning_list: list[Issue] = field(default_factory=list)
    unknown_headers: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        keys = ("rows", "orders", "items", "new", "updated", "unchanged", "errors", "warnings")
        return {key: getattr(self, key) for key in (*keys, "paid_fen")}

    def as_dict(self) -> dict:
        data = asdict(self)
        data["error_list"] = [asdict(i) for i in self.error_list]
        data["warning_list"] = [asdict(i) for i in self.warning_list]
        return data


def _sql_type(column) -> str:
    if column.kind in (FEN, INT):
        return "bigint"
    if column.kind == TIME:
        return "timestamptz"
    if column.kind in (ID, TEXT) or column.key == "traffic_source":
        return "text"
    return "integer"


def _stage(shop_id, layout, rows, cleaner, report, progress) -> None:
    definitions = ", ".join(f"{c.key} {_sql_type(c)}" for c in STAGED)
    # Binary COPY, its types in ROW_FIELDS order: no value is formatted as text here and
    # parsed back there.
    types = ["integer", *(_sql_type(c) for c in STAGED), "boolean", "boolean"]
    with connection.cursor() as cursor:
        # The judging statements' estimated costs are high enough for JIT, which spent
        # longer compiling them (0.4–0.8 s each) than they take to run.
        cursor.execute("SET LOCAL jit = off")
        # Inside an outer transaction (a test, a caller's atomic) ON COMMIT has not come yet.
        cursor.execute("DROP TABLE IF EXISTS import_stage, import_orders, import_new_orders")
        cursor.execute(
            f"CREATE TEMP TABLE import_stage ({ROW_NUMBER} integer, {definitions}, "
            f"{MASKED} boolean, {FIRST_OF_ORDER} boolean, sku_id bigint, product_id bigint) "
            "ON COMMIT DROP"
        )
        raw = cursor.cursor
        fields = ", ".join(ROW_FIELDS)
        with raw.copy(f"COPY import_stage ({fields}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)
            for number, cells in rows:
                report.rows += 1
                values = cleaner.clean(number, cells)
                if values is None:
                    report.errors += 1
                else:
                    copy.write_row(values)
                if progress and report.rows % PROGRESS_EVERY == 0:
                    progress(report.rows)
        # A small sample is enough for the judging statements' plans (hash joins either
        # way) and takes a tenth of the default's time.
        cursor.execute("SET LOCAL default_statistics_target = 10")
        cursor.execute("ANALYZE import_stage")
        cursor.execute("RESET default_statistics_target")


def _run(cursor, sql, params=()):
    cursor.execute(sql, params)
    return cursor.fetchall() if cursor.description else None


def _link_skus(cursor, shop_id, report) -> None:
    """SKU by 商家编码, then product by 商品ID, within the shop; unknown → a warning."""
    _run(cursor, "UPDATE import_stage s SET sku_id = k.id, product_id = k.product_id "
         "FROM products_sku k WHERE k.shop_id = %s AND k.outer_code = s.outer_code "
         "AND s.outer_code <> ''", [shop_id])  # fmt: skip
    _run(cursor, "UPDATE import_stage s SET product_id = p.id FROM products_product p "
         "WHERE s.product_id IS NULL AND s.product_ref ~ '^[0-9]{1,18}$' "
         "AND p.id = s.product_ref::bigint AND p.shop_id = %s", [shop_id])  # fmt: skip
    unknown = _run(cursor, "SELECT row_no, outer_code, product_ref, count(*) OVER () "
                   "FROM import_stage WHERE product_id IS NULL AND (coalesce(outer_code, '') "
                   "<> '' OR coalesce(product_ref, '') <> '') ORDER BY row_no LIMIT %s",
                   [MAX_ISSUES_LISTED])  # fmt: skip
    report.warnings += unknown[0][3] if unknown else 0
    for row_no, code, ref, _count in unknown:
        report.warning_list.append(
            Issue(row_no, _("商家编码"),
                  _("本店没有商家编码“%(code)s”或商品ID“%(ref)s”的商品，保留订单中的商品信息。")
                  % {"code": code or "", "ref": ref or ""})
        )  # fmt: skip


def _judge(cursor, shop_id, layout, report) -> None:
    _run(cursor, "CREATE TEMP TABLE import_orders ON COMMIT DROP AS "
         f"SELECT * FROM import_stage WHERE {FIRST_OF_ORDER}")  # fmt: skip
    conflicts = _run(cursor, "SELECT s.row_no, s.item_no, o.order_no FROM import_stage s "
                     "JOIN orders_orderitem i ON i.shop_id = %s AND i.item_no = s.item_no "
                     "JOIN orders_order o ON o.id = i.order_id WHERE o.order_no <> s.order_no "
                     "ORDER BY s.row_no", [shop_id])  # fmt: skip
    for row_no, item_no, order_no in conflicts:
        report.errors += 1
        report.error_list.append(
            Issue(row_no, _("子订单编号"),
                  _("子订单 %(item)s 在本店属于订单 %(order)s，与文件中的主订单编号不一致。")
                  % {"item": item_no, "order": order_no})
        )  # fmt: skip
    (counts,) = _run(
        cursor,
        f"SELECT count(*) FILTER (WHERE i.id IS NULL), "
        f"count(*) FILTER (WHERE i.id IS NOT NULL AND (({item_differs(layout)}) "
        f"OR ({order_differs(layout, 'so')}))), "
        "count(*), count(DISTINCT s.order_no), "
        "coalesce(sum(s.paid) FILTER (WHERE so.paid_at IS NOT NULL), 0) "
        "FROM import_stage s JOIN import_orders so ON so.order_no = s.order_no "
        "LEFT JOIN orders_orderitem i ON i.shop_id = %s AND i.item_no = s.item_no "
        "LEFT JOIN orders_order o ON o.id = i.order_id",
        [shop_id],
    )
    report.new, report.updated, report.items, report.orders, paid = counts
    report.paid_fen = int(paid)
    report.unchanged = report.items - report.new - report.updated


def _insert_new(cursor, shop_id, file_name, user_id, report) -> int:
    """The file's orders and items the shop does not have yet, each new order with a
    `sync` event naming the file; returns how many orders it created. ImportCollided
    when fewer items are new than the judge found: another import wrote them since."""
    all_new = report.new == report.items  # the judge found none in the shop
    order_cols = [
        c for c in COLUMNS if c.level == ORDER and c.target and c.key not in ("status", "order_no")
    ]
    names = ", ".join(c.target for c in order_cols)
    values = ", ".join(stored_value(c) for c in order_cols)
    shipping = stored_value(next(c for c in COLUMNS if c.key == "shipping"))
    note = _("导入文件：%(name)s") % {"name": file_name}
    _run(cursor, "CREATE TEMP TABLE import_new_orders (order_no text PRIMARY KEY) ON COMMIT DROP")
    _run(cursor, f"""
        WITH totals AS (SELECT order_no, sum(paid) AS goods FROM import_stage GROUP BY order_no),
        ins AS (
            INSERT INTO orders_order (shop_id, order_no, status, buyer_id, buyer_nickname,
                receiver_street, goods_total_fen, paid_fen, pay_deadline, updated_at,
                video_id, live_room_id, {MASKED}, {names})
            SELECT %s, s.order_no, s.status, '', '', '', t.goods, t.goods + {shipping},
                s.created_at, now(), '', '',
                s.{MASKED}, {values}
            FROM import_orders s JOIN totals t ON t.order_no = s.order_no
            WHERE NOT EXISTS (SELECT 1 FROM orders_order e
                              WHERE e.shop_id = %s AND e.order_no = s.order_no)
            -- exports list newest (highest id) first: the file's first order gets the last id
            ORDER BY s.row_no DESC
            RETURNING id, order_no, status),
        events AS (
            INSERT INTO orders_orderevent (order_id, kind, to_status, actor_id, actor_label,
                                           note, code, params, created_at)
            SELECT id, 'sync', status, %s, %s, %s, '', '{{}}', now() FROM ins)
        -- the orders this file creates: written whole here, skipped by the updates below
        INSERT INTO import_new_orders SELECT order_no FROM ins""",
         [shop_id, shop_id, user_id, _("导入文件"), note[:300]])  # fmt: skip
    created = cursor.rowcount
    item_cols = [c for c in COLUMNS if c.level == ITEM and c.target and c.key != "product_ref"]
    _run(cursor, f"""
        INSERT INTO orders_orderitem (shop_id, order_id, sku_id, product_id, product_ref,
            image_url, shipped_quantity, refunded_quantity, refunded_fen,
            {', '.join(c.target for c in item_cols)})
        SELECT %s, o.id, s.sku_id, s.product_id,
            CASE WHEN s.product_id IS NULL THEN coalesce(s.product_ref, '') ELSE '' END, '',
            CASE WHEN o.status IN (3, 5) THEN s.quantity ELSE 0 END, 0, 0,
            {', '.join(stored_value(c) for c in item_cols)}
        FROM import_stage s JOIN orders_order o ON o.shop_id = %s AND o.order_no = s.order_no
        {"" if all_new else NOT_AN_ITEM}
        ORDER BY s.row_no""",
         [shop_id, shop_id] + ([] if all_new else [shop_id]))  # fmt: skip
    if cursor.rowcount != report.new:
        raise ImportCollided
    return created


def _update_existing(cursor, shop_id, layout) -> dict[int, int]:
    """Orders and items the shop had, where the file says otherwise; returns the status
    each order must move to (order id → code), for the status service."""
    present = present_columns(layout, ORDER)
    if present:
        _run(cursor, f"UPDATE orders_order o SET {', '.join(assign(c, 'o') for c in present)}, "
             f"{MASKED} = {masked_after(layout)}, updated_at = now() FROM import_orders s "
             f"WHERE o.shop_id = %s AND o.order_no = s.order_no AND {NOT_NEW.format(order_no='s.order_no')} "
             f"AND ({' OR '.join(differs(c, 'o') for c in present)})", [shop_id])  # fmt: skip
    present = item_columns(layout)
    assigns = [assign(c, "i") for c in present]
    assigns += ["sku_id = coalesce(s.sku_id, i.sku_id)",
                "product_id = coalesce(s.product_id, i.product_id)",
                f"product_ref = {PRODUCT_REF}"]  # fmt: skip
    _run(cursor, f"UPDATE orders_orderitem i SET {', '.join(assigns)} FROM import_stage s "
         f"WHERE i.shop_id = %s AND i.item_no = s.item_no AND {NOT_NEW.format(order_no='s.order_no')} "
         f"AND ({item_differs(layout)})", [shop_id])  # fmt: skip
    _run(cursor, f"""
        UPDATE orders_order o SET goods_total_fen = t.goods, paid_fen = t.goods + o.shipping_fen
        FROM (SELECT i.order_id, sum(i.paid_fen) AS goods FROM orders_orderitem i
              JOIN orders_order x ON x.id = i.order_id AND x.shop_id = %s
              JOIN import_orders s ON s.order_no = x.order_no
              WHERE {NOT_NEW.format(order_no="s.order_no")}
              GROUP BY i.order_id) t
        WHERE o.id = t.order_id AND (o.goods_total_fen <> t.goods
                                     OR o.paid_fen <> t.goods + o.shipping_fen)""",
         [shop_id])  # fmt: skip
    changed = _run(cursor, "SELECT o.id, s.status FROM orders_order o JOIN import_orders s "
                   "ON o.shop_id = %s AND o.order_no = s.order_no WHERE o.status <> s.status",
                   [shop_id])  # fmt: skip
    return dict(changed)


IMPORTED_ORDERS = ("SELECT o.id FROM orders_order o JOIN import_orders s "
                   "ON o.shop_id = %s AND o.order_no = s.order_no")  # fmt: skip


def import_orders(
    *, shop_id: int, source, file_name: str, mapping=None, dry_run=True, actor=None,
    progress=None,
) -> ImportReport:  # fmt: skip
    """Read `source` (bytes, a path or a binary file) and, unless `dry_run` or any row
    is in error, write it into the shop, all or nothing. Returns the report either way."""
    require_postgresql(_("订单导入"))
    report = ImportReport()
    layout, rows = open_file(source, mapping=mapping)
    report.unknown_headers = layout.unknown
    cleaner = RowCleaner(layout)
    user_id = getattr(actor, "pk", None)
    try:
        with transaction.atomic():
            _stage(shop_id, layout, rows, cleaner, report, progress)
            with connection.cursor() as cursor:
                _link_skus(cursor, shop_id, report)
                _judge(cursor, shop_id, layout, report)
                report.error_list = sorted(cleaner.errors + report.error_list, key=lambda i: i.row)[
                    :MAX_ISSUES_LISTED
                ]
                if report.rows == 0:
                    report.errors += 1
                    report.error_list.append(Issue(0, "", _("文件里只有表头，没有数据行。")))
                if dry_run or report.errors or not (report.new or report.updated):
                    raise ImportAborted
                touched = days_of_orders(IMPORTED_ORDERS, [shop_id])
                created = _insert_new(cursor, shop_id, file_name, user_id, report)
                # A file whose orders are all new has nothing of the shop's to update.
                targets = {}
                if created < report.orders:
                    targets = _update_existing(cursor, shop_id, layout)
            if targets:
                orders_sync_status(
                    targets=targets, note=_("导入文件：%(name)s") % {"name": file_name},
                    actor=actor,
                )  # fmt: skip
            # 数据's rollups of the days the file's orders were on, before and after.
            refresh(touched, days_of_orders(IMPORTED_ORDERS, [shop_id]))
    except ImportAborted:
        pass
    except IntegrityError as exc:
        if isinstance(exc.__cause__, UniqueViolation):
            raise ImportCollided from exc
        raise
    return report
