"""Keeping the rollups (orders.stats.models) exact.

The order services call these inside their own transaction, so a counted change and
its count commit or roll back together: `record_placed` (order_place),
`record_status_changes` (orders.status: 已支付 and 已取消) and `record_refund`
(a successful after-sale refund). Counters are added with INSERT … ON CONFLICT, so
concurrent orders of a shop never lose an update.

Writes that bypass these services recompute instead (orders.stats.recompute: `rebuild`
for whole shops, `refresh` for the days a bulk write touched); tests compare the two.
"""

from collections import defaultdict

from django.db import connection

from ..models import OrderItem, OrderStatus
from .definitions import band_of
from .models import Dim

TZ = "Asia/Shanghai"
HOUR_FIELDS = ("orders", "paid_orders", "gmv_fen", "refunds", "refund_fen", "cancelled")


def local_hour(moment):
    from django.utils import timezone

    local = timezone.localtime(moment)
    return local.date(), local.hour


def _add_hour(shop_id: int, moment, **counts) -> None:
    day, hour = local_hour(moment)
    values = [counts.get(field, 0) for field in HOUR_FIELDS]
    updates = ", ".join(f"{f} = orders_shophourstat.{f} + EXCLUDED.{f}" for f in HOUR_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO orders_shophourstat (shop_id, day, hour, {', '.join(HOUR_FIELDS)}) "
            f"VALUES (%s, %s, %s, {', '.join(['%s'] * len(HOUR_FIELDS))}) "
            f"ON CONFLICT (shop_id, day, hour) DO UPDATE SET {updates}",
            [shop_id, day, hour, *values],
        )


def _add_days(table: str, owner: str, rows: list[tuple]) -> None:
    """rows: (owner id, day, dim, [parent,] key, orders, amount) added to `table`."""
    if not rows:
        return
    columns = [owner, "day", "dim", *(["parent"] if table == "orders_shopdaystat" else []), "key"]
    placeholders = ", ".join(["%s"] * (len(columns) + 2))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}, orders, amount_fen) VALUES "
            + ", ".join(f"({placeholders})" for _ in rows)
            + f" ON CONFLICT ({', '.join(columns)}) DO UPDATE SET "
            f"orders = {table}.orders + EXCLUDED.orders, "
            f"amount_fen = {table}.amount_fen + EXCLUDED.amount_fen",
            [value for row in rows for value in row],
        )


def record_placed(order) -> None:
    _add_hour(order.shop_id, order.created_at, orders=1)


def products_of(order) -> dict[int, int]:
    """Paid amount of each product of the order (one order counts once per product)."""
    amounts: dict[int, int] = defaultdict(int)
    for product_id, paid_fen in OrderItem.objects.filter(
        order_id=order.pk, product_id__isnull=False
    ).values_list("product_id", "paid_fen"):
        amounts[product_id] += paid_fen
    return amounts


def paid_dims(order, products: dict[int, int]) -> list[tuple[str, str, str, int]]:
    """(dim, parent, key, amount) the order counts in, once each."""
    dims = [
        (Dim.CHANNEL, "", str(order.channel), order.paid_fen),
        (Dim.SOURCE, "", order.traffic_source, order.paid_fen),
        (Dim.PROVINCE, "", order.receiver_province, order.paid_fen),
        (Dim.CITY, order.receiver_province, order.receiver_city, order.paid_fen),
        (Dim.BAND, "", str(band_of(order.paid_fen)), order.paid_fen),
    ]
    if order.creator_id:
        dims.append((Dim.CREATOR, "", str(order.creator_id), order.paid_fen))
    dims += [(Dim.PRODUCT, "", str(pk), amount) for pk, amount in sorted(products.items())]
    return dims


def creator_dims(order, products: dict[int, int]) -> list[tuple[str, str, int]]:
    dims = [(Dim.TOTAL, "", order.paid_fen), (Dim.SOURCE, order.traffic_source, order.paid_fen)]
    if order.video_id:
        dims.append((Dim.VIDEO, order.video_id, order.paid_fen))
    if order.live_room_id:
        dims.append((Dim.LIVE, order.live_room_id, order.paid_fen))
    dims += [(Dim.PRODUCT, str(pk), amount) for pk, amount in sorted(products.items())]
    return dims


def _record_buyer(shop_id: int, buyer_id: str, day) -> None:
    """Count the buyer's paying day; when it is a new one, splice it into the chain of
    their paying days (BuyerGap: the next day's predecessor becomes this day)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One buyer's payments are spliced one at a time (orders lock only themselves);
            # SQLite (`make run`) has one writer at a time anyway.
            cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [shop_id, buyer_id])
        cursor.execute(
            "INSERT INTO orders_buyerday (shop_id, buyer_id, day, paid_orders) "
            "VALUES (%s, %s, %s, 1) ON CONFLICT (shop_id, buyer_id, day) "
            "DO UPDATE SET paid_orders = orders_buyerday.paid_orders + 1 RETURNING paid_orders, "
            "(SELECT max(day) FROM orders_buyerday WHERE shop_id = %s AND buyer_id = %s "
            " AND day < %s), "
            "(SELECT min(day) FROM orders_buyerday WHERE shop_id = %s AND buyer_id = %s "
            " AND day > %s)",
            [shop_id, buyer_id, day, *([shop_id, buyer_id, day] * 2)],
        )
        paid_orders, prev_day, next_day = cursor.fetchone()
        if paid_orders > 1:
            return
        changes = [(day, prev_day, 1)]
        if next_day is not None:
            changes += [(next_day, prev_day, -1), (next_day, day, 1)]
        if connection.vendor != "postgresql":
            _add_gaps_sqlite(cursor, shop_id, changes)
            return
        cursor.execute(
            "INSERT INTO orders_buyergap (shop_id, day, prev_day, buyers) VALUES "
            + ", ".join(["(%s, %s, %s, %s)"] * len(changes))
            + " ON CONFLICT (shop_id, day, prev_day) "
            "DO UPDATE SET buyers = orders_buyergap.buyers + EXCLUDED.buyers",
            [value for change in changes for value in (shop_id, *change)],
        )


def _add_gaps_sqlite(cursor, shop_id: int, changes: list[tuple]) -> None:
    """SQLite cannot make (shop, day, prev_day) unique with a null prev_day, so there is
    no ON CONFLICT to lean on: update, else insert (SQLite has one writer at a time)."""
    for day, prev_day, buyers in changes:
        cursor.execute(
            "UPDATE orders_buyergap SET buyers = buyers + %s "
            "WHERE shop_id = %s AND day = %s AND prev_day IS %s",
            [buyers, shop_id, day, prev_day],
        )
        if not cursor.rowcount:
            cursor.execute(
                "INSERT INTO orders_buyergap (shop_id, day, prev_day, buyers) "
                "VALUES (%s, %s, %s, %s)",
                [shop_id, day, prev_day, buyers],
            )


def record_paid(order) -> None:
    day, _hour = local_hour(order.paid_at)
    _add_hour(order.shop_id, order.paid_at, paid_orders=1, gmv_fen=order.paid_fen)
    products = products_of(order)
    _add_days(
        "orders_shopdaystat",
        "shop_id",
        [
            (order.shop_id, day, dim, parent, key, 1, amount)
            for dim, parent, key, amount in paid_dims(order, products)
        ],
    )
    if order.creator_id:
        record_creator(order, products)
    _record_buyer(order.shop_id, order.buyer_id, day)


def record_creator(order, products: dict[int, int]) -> None:
    """The creator's board (CreatorDayStat) counts a paid order they brought."""
    day, _hour = local_hour(order.paid_at)
    _add_days(
        "orders_creatordaystat",
        "creator_id",
        [
            (order.creator_id, day, dim, key, 1, amount)
            for dim, key, amount in creator_dims(order, products)
        ],
    )


def record_status_changes(changes) -> None:
    """(order, from, to) of orders_set_status: payments and cancellations count."""
    for order, _from_status, to_status in changes:
        if to_status == OrderStatus.PAID:
            record_paid(order)
        elif to_status == OrderStatus.CANCELLED:
            _add_hour(order.shop_id, order.cancelled_at, cancelled=1)


def record_refund(aftersale) -> None:
    """A successful after-sale that paid money back (换货 pays nothing)."""
    if aftersale.refund_fen:
        _add_hour(
            aftersale.shop_id, aftersale.finished_at, refunds=1, refund_fen=aftersale.refund_fen
        )
