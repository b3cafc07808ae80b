"""The SQL of the order import's upsert, cell by cell: what a staged cell stores (a
column the file lacks keeps its default), whether it differs from what this shop's
export writes for the row (so re-importing an export is no change), and how an UPDATE
assigns it (a masked receiver never overwrites a full one). Over the aliases s (the
staging row), o (the order) and i (the item)."""

from .columns import FEN, INT, ITEM, ORDER, TIME, compare_sql
from .reading import MASKED

NULLABLE = {"paid_at", "exp_ship_time", "shipped_at", "completed_at", "pay_method",
            "remark_flag", "imported_aftersale_status"}  # fmt: skip
DEFAULTS = {"channel": "8", "traffic_source": "'other'"}
RECEIVER = {"receiver_name", "receiver_phone", "receiver_detail"}
# 商品ID kept as text only when it links to no product of the shop.
PRODUCT_REF = ("CASE WHEN coalesce(s.product_id, i.product_id) IS NULL "
               "THEN coalesce(s.product_ref, '') ELSE '' END")  # fmt: skip
# Keys and the status are not assigned like other columns.
KEYS = ("status", "order_no", "item_no")


def stored_value(column, alias="s") -> str:
    """The value to store for a column, from the staging row."""
    expr = f"{alias}.{column.key}"
    if column.target in NULLABLE or column.kind == TIME:
        return expr
    if column.target in DEFAULTS:
        return f"coalesce({expr}, {DEFAULTS[column.target]})"
    if column.key == "unit_price":
        return (f"coalesce({expr}, {alias}.goods_amount / nullif({alias}.quantity, 0), "
                f"{alias}.paid / nullif({alias}.quantity, 0), 0)")  # fmt: skip
    return f"coalesce({expr}, {'0' if column.kind in (FEN, INT) else chr(39) * 2})"


def differs(column, current: str, stage: str = "s") -> str:
    # The value as this shop's export writes it (the stored column, or the parcels,
    # after-sales or creator that take its place), so re-importing an export is no change.
    # (`current` is the alias o or i, which compare_sql is written over.)
    stored = compare_sql(column)
    if column.kind == TIME:
        stored = f"date_trunc('second', {stored})"
    test = f"{stored} IS DISTINCT FROM {stored_value(column, stage)}"
    if column.target in RECEIVER:
        return f"(NOT {stage}.{MASKED} AND {test})"
    return test


def assign(column, current: str) -> str:
    """Set the column unless the file says what the export would (or a masked receiver)."""
    value, target = stored_value(column), column.target
    stored = compare_sql(column)
    if column.kind == TIME:
        stored = f"date_trunc('second', {stored})"
    if column.kind != TIME and target not in RECEIVER and stored == f"{current}.{target}":
        return f"{target} = {value}"
    keep = f"{stored} IS NOT DISTINCT FROM {value}"
    if target in RECEIVER:
        keep = f"s.{MASKED} OR {keep}"
    return f"{target} = CASE WHEN {keep} THEN {current}.{target} ELSE {value} END"


def present_columns(layout, level):
    return [c for c in layout.columns if c.level == level and c.target and c.key not in KEYS]


def item_columns(layout):
    """Item columns the file has, with 商品ID stored as the link or the file's text."""
    return [c for c in present_columns(layout, ITEM) if c.key != "product_ref"]


def item_differs(layout) -> str:
    tests = [differs(c, "i") for c in item_columns(layout)]
    # A row that names no SKU of the shop keeps the links the item has (a SKU without
    # a 商家编码 is found by nothing in the file).
    tests += ["i.sku_id IS DISTINCT FROM coalesce(s.sku_id, i.sku_id)",
              "i.product_id IS DISTINCT FROM coalesce(s.product_id, i.product_id)"]  # fmt: skip
    if "product_ref" in layout.positions:
        tests.append(f"i.product_ref IS DISTINCT FROM {PRODUCT_REF}")
    return " OR ".join(tests)


def has_receiver(layout) -> bool:
    return any(c.target in RECEIVER for c in layout.columns)


def masked_after(layout) -> str:
    """A full receiver in the file replaces a masked one; a masked file never masks a
    full one (its values are not written)."""
    return f"o.{MASKED} AND s.{MASKED}" if has_receiver(layout) else f"o.{MASKED}"


def order_differs(layout, stage: str = "s") -> str:
    tests = [differs(c, "o", stage) for c in present_columns(layout, ORDER)]
    tests.append(f"o.status IS DISTINCT FROM {stage}.status")
    if has_receiver(layout):
        tests.append(f"(NOT {stage}.{MASKED} AND o.{MASKED})")
    return " OR ".join(tests)
