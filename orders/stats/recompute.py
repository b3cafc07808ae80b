"""Recomputing the rollups from the orders, for writes that bypass the services that
keep them (orders.stats.rollups): `rebuild` for whole shops (`manage.py stats_rebuild`,
bulk loads such as seed_demo and the benchmark), `refresh` for the Beijing days a bulk
write touched (the order import, status syncs), found by `days_of_orders`.

On PostgreSQL this is set-based SQL. Elsewhere (`make run`'s SQLite, a few thousand demo
orders) the orders are counted in memory by the rules the services' hooks apply.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from ..models import AfterSale, AfterSaleStatus, Order, OrderItem
from . import rollups
from .definitions import BANDS
from .models import BuyerDay, BuyerGap, CreatorDayStat, ShopDayStat, ShopHourStat

TZ = rollups.TZ
HOUR_FIELDS = rollups.HOUR_FIELDS


def _when(column: str) -> str:
    """Rows whose `column` falls on one of %(days)s (Beijing), or all rows without days.
    The range lets PostgreSQL use the (shop, time) indexes."""
    return (
        f" AND ((%(days)s)::date[] IS NULL OR ({column} >= %(lower)s AND {column} < %(upper)s"
        f" AND ({column} AT TIME ZONE '{TZ}')::date = ANY(%(days)s)))"
    )


_BAND_SQL = (
    "CASE "
    + " ".join(f"WHEN paid_fen >= {bound} THEN '{bound}'" for bound in reversed(BANDS))
    + " END"
)

_HOURS_SQL = f"""
INSERT INTO orders_shophourstat (shop_id, day, hour, {", ".join(HOUR_FIELDS)})
SELECT shop_id, t::date, extract(hour FROM t)::int,
    sum(o), sum(p), sum(g), sum(r), sum(rf), sum(c)
FROM (
    SELECT shop_id, created_at AT TIME ZONE '{TZ}' AS t, 1 o, 0 p, 0 g, 0 r, 0 rf, 0 c
    FROM orders_order WHERE shop_id = ANY(%(shops)s) {_when("created_at")}
    UNION ALL
    SELECT shop_id, paid_at AT TIME ZONE '{TZ}', 0, 1, paid_fen, 0, 0, 0
    FROM orders_order WHERE shop_id = ANY(%(shops)s) AND paid_at IS NOT NULL
        {_when("paid_at")}
    UNION ALL
    SELECT shop_id, cancelled_at AT TIME ZONE '{TZ}', 0, 0, 0, 0, 0, 1
    FROM orders_order WHERE shop_id = ANY(%(shops)s) AND cancelled_at IS NOT NULL
        {_when("cancelled_at")}
    UNION ALL
    SELECT shop_id, finished_at AT TIME ZONE '{TZ}', 0, 0, 0, 1, refund_fen, 0
    FROM orders_aftersale
    WHERE shop_id = ANY(%(shops)s) AND status = 12 AND refund_fen > 0 {_when("finished_at")}
) AS x
GROUP BY 1, 2, 3
"""

_PAID = f"""
paid AS (
    SELECT id, shop_id, (paid_at AT TIME ZONE '{TZ}')::date AS day, paid_fen, channel,
        traffic_source, receiver_province, receiver_city, creator_id, video_id,
        live_room_id, buyer_id
    FROM orders_order WHERE {{where}} AND paid_at IS NOT NULL {_when("paid_at")}
),
items AS (
    SELECT paid.*, i.product_id, sum(i.paid_fen) AS goods_fen
    FROM paid JOIN orders_orderitem i ON i.order_id = paid.id
    WHERE i.product_id IS NOT NULL
    GROUP BY paid.id, paid.shop_id, paid.day, paid.paid_fen, paid.channel,
        paid.traffic_source, paid.receiver_province, paid.receiver_city, paid.creator_id,
        paid.video_id, paid.live_room_id, paid.buyer_id, i.product_id
)
"""

_DAYS_SQL = (
    "WITH "
    + _PAID.format(where="shop_id = ANY(%(shops)s)")
    + f"""
INSERT INTO orders_shopdaystat (shop_id, day, dim, parent, key, orders, amount_fen)
SELECT shop_id, day, dim, parent, key, count(*), sum(amount) FROM (
    SELECT shop_id, day, 'channel' dim, '' parent, channel::text key, paid_fen amount FROM paid
    UNION ALL SELECT shop_id, day, 'source', '', traffic_source, paid_fen FROM paid
    UNION ALL SELECT shop_id, day, 'province', '', receiver_province, paid_fen FROM paid
    UNION ALL SELECT shop_id, day, 'city', receiver_province, receiver_city, paid_fen FROM paid
    UNION ALL SELECT shop_id, day, 'band', '', {_BAND_SQL}, paid_fen FROM paid
    UNION ALL SELECT shop_id, day, 'creator', '', creator_id::text, paid_fen FROM paid
        WHERE creator_id IS NOT NULL
    UNION ALL SELECT shop_id, day, 'product', '', product_id::text, goods_fen FROM items
) AS x
GROUP BY 1, 2, 3, 4, 5
"""
)

_CREATOR_SQL = (
    "WITH "
    + _PAID.format(where="creator_id = ANY(%(creators)s)")
    + """
INSERT INTO orders_creatordaystat (creator_id, day, dim, key, orders, amount_fen)
SELECT creator_id, day, dim, key, count(*), sum(amount) FROM (
    SELECT creator_id, day, 'total' dim, '' key, paid_fen amount FROM paid
    UNION ALL SELECT creator_id, day, 'source', traffic_source, paid_fen FROM paid
    UNION ALL SELECT creator_id, day, 'video', video_id, paid_fen FROM paid WHERE video_id <> ''
    UNION ALL SELECT creator_id, day, 'live', live_room_id, paid_fen FROM paid
        WHERE live_room_id <> ''
    UNION ALL SELECT creator_id, day, 'product', product_id::text, goods_fen FROM items
) AS x
GROUP BY 1, 2, 3, 4
"""
)

# A buyer's paying days change only on the days recomputed, but the gap to the next
# paying day may change on any later day: the shop's gaps are recomputed whole.
_BUYERS_SQL = (
    f"""
INSERT INTO orders_buyerday (shop_id, buyer_id, day, paid_orders)
SELECT shop_id, buyer_id, (paid_at AT TIME ZONE '{TZ}')::date, count(*)
FROM orders_order WHERE shop_id = ANY(%(shops)s) AND paid_at IS NOT NULL {_when("paid_at")}
GROUP BY 1, 2, 3""",
    """
INSERT INTO orders_buyergap (shop_id, day, prev_day, buyers)
SELECT shop_id, day, prev_day, count(*) FROM (
    SELECT shop_id, day, lag(day) OVER (PARTITION BY shop_id, buyer_id ORDER BY day) prev_day
    FROM orders_buyerday WHERE shop_id = ANY(%(shops)s)
) AS x
GROUP BY 1, 2, 3""",
)


def _delete(shop_ids: list[int], creator_ids: list[int], days: list[date] | None) -> None:
    on_days = {"day__in": days} if days is not None else {}
    for model in (ShopHourStat, ShopDayStat, BuyerDay):
        model.objects.filter(shop_id__in=shop_ids, **on_days).delete()
    BuyerGap.objects.filter(shop_id__in=shop_ids).delete()
    CreatorDayStat.objects.filter(creator_id__in=creator_ids, **on_days).delete()


def _creators_of(shop_ids: list[int]) -> list[int]:
    return list(
        Order.objects.filter(shop_id__in=shop_ids, creator_id__isnull=False)
        .values_list("creator_id", flat=True)
        .distinct()
        .order_by()
    )


def _recompute(shop_ids: list[int], days: list[date] | None) -> dict[str, int]:
    creator_ids = _creators_of(shop_ids)
    if connection.vendor != "postgresql":
        _delete(shop_ids, creator_ids, None)  # a replay counts every day again
        return _replay(shop_ids, creator_ids)
    _delete(shop_ids, creator_ids, days)
    tz = timezone.get_current_timezone()
    params = {
        "shops": shop_ids,
        "creators": creator_ids,
        "days": days,
        "lower": datetime.combine(min(days), time.min, tzinfo=tz) if days else None,
        "upper": datetime.combine(max(days) + timedelta(days=1), time.min, tzinfo=tz)
        if days
        else None,
    }
    written = {}
    with connection.cursor() as cursor:
        for label, sql in (
            ("hours", _HOURS_SQL),
            ("days", _DAYS_SQL),
            ("creators", _CREATOR_SQL),
        ):
            cursor.execute(sql, params)
            written[label] = cursor.rowcount
        for sql in _BUYERS_SQL:
            cursor.execute(sql, params)
        written["buyers"] = cursor.rowcount
    return written


def _replay(shop_ids: list[int], creator_ids: list[int]) -> dict[str, int]:
    """The rollups counted in memory from the orders, by the same rules the services'
    hooks apply (orders.stats.rollups), then written in bulk."""
    shops = set(shop_ids)
    hours: dict[tuple, list[int]] = defaultdict(lambda: [0] * len(HOUR_FIELDS))
    days: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    creators: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    buyer_days: dict[tuple, int] = defaultdict(int)

    def count_hour(shop_id, moment, field, value=1):
        hours[(shop_id, *rollups.local_hour(moment))][HOUR_FIELDS.index(field)] += value

    orders = list(Order.objects.filter(Q(shop_id__in=shop_ids) | Q(creator_id__in=creator_ids)))
    products: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for order_id, product_id, paid_fen in OrderItem.objects.filter(
        order__in=[o.pk for o in orders if o.paid_at], product_id__isnull=False
    ).values_list("order_id", "product_id", "paid_fen"):
        products[order_id][product_id] += paid_fen
    for order in orders:
        mine = order.shop_id in shops
        if mine:
            count_hour(order.shop_id, order.created_at, "orders")
            if order.cancelled_at:
                count_hour(order.shop_id, order.cancelled_at, "cancelled")
        if not order.paid_at:
            continue
        day, _hour = rollups.local_hour(order.paid_at)
        if mine:
            count_hour(order.shop_id, order.paid_at, "paid_orders")
            count_hour(order.shop_id, order.paid_at, "gmv_fen", order.paid_fen)
            for dim, parent, key, amount in rollups.paid_dims(order, products[order.pk]):
                row = days[(order.shop_id, day, dim, parent, key)]
                row[0], row[1] = row[0] + 1, row[1] + amount
            buyer_days[(order.shop_id, order.buyer_id, day)] += 1
        if order.creator_id in creator_ids:
            for dim, key, amount in rollups.creator_dims(order, products[order.pk]):
                row = creators[(order.creator_id, day, dim, key)]
                row[0], row[1] = row[0] + 1, row[1] + amount
    for aftersale in AfterSale.objects.filter(
        shop_id__in=shop_ids, status=AfterSaleStatus.SUCCEEDED, refund_fen__gt=0
    ):
        count_hour(aftersale.shop_id, aftersale.finished_at, "refunds")
        count_hour(aftersale.shop_id, aftersale.finished_at, "refund_fen", aftersale.refund_fen)
    gaps: dict[tuple, int] = defaultdict(int)
    previous: dict[tuple, date] = {}
    for shop_id, buyer_id, day in sorted(buyer_days):
        gaps[(shop_id, day, previous.get((shop_id, buyer_id)))] += 1
        previous[(shop_id, buyer_id)] = day
    ShopHourStat.objects.bulk_create(
        ShopHourStat(shop_id=s, day=d, hour=h, **dict(zip(HOUR_FIELDS, v, strict=True)))
        for (s, d, h), v in hours.items()
    )
    ShopDayStat.objects.bulk_create(
        ShopDayStat(shop_id=s, day=d, dim=dim, parent=p, key=k, orders=n, amount_fen=a)
        for (s, d, dim, p, k), (n, a) in days.items()
    )
    CreatorDayStat.objects.bulk_create(
        CreatorDayStat(creator_id=c, day=d, dim=dim, key=k, orders=n, amount_fen=a)
        for (c, d, dim, k), (n, a) in creators.items()
    )
    BuyerDay.objects.bulk_create(
        BuyerDay(shop_id=s, buyer_id=b, day=d, paid_orders=n) for (s, b, d), n in buyer_days.items()
    )
    BuyerGap.objects.bulk_create(
        BuyerGap(shop_id=s, day=d, prev_day=p, buyers=n) for (s, d, p), n in gaps.items()
    )
    return {"hours": len(hours), "days": len(days), "creators": len(creators), "buyers": len(gaps)}


def rebuild(*, shop_ids: list[int] | None = None) -> dict[str, int]:
    """Recompute the rollups of these shops (all when None) and of every creator with
    orders in them; returns the rows written per table."""
    if shop_ids is None:
        from shops.models import Shop

        shop_ids = list(Shop.objects.values_list("pk", flat=True))
    return _recompute(list(shop_ids), None)


# The distinct Beijing days of a set of orders' times, by shop ({orders}: their ids).
_ORDER_DAYS_SQL = (
    f"SELECT DISTINCT shop_id, (t AT TIME ZONE '{TZ}')::date FROM ("
    "SELECT shop_id, unnest(ARRAY[created_at, paid_at, cancelled_at]) AS t FROM orders_order "
    "WHERE id IN ({orders}) UNION ALL SELECT shop_id, finished_at FROM orders_aftersale "
    "WHERE finished_at IS NOT NULL AND order_id IN ({orders})) x WHERE t IS NOT NULL"
)


def days_of_orders(order_ids_sql: str, params=()) -> dict[int, set[date]]:
    """{shop id: the Beijing days} on which the orders selected by `order_ids_sql` (a
    query of order ids) were placed, paid or cancelled, or had a refund."""
    found: dict[int, set[date]] = defaultdict(set)
    if connection.vendor == "postgresql":  # the distinct days only, not every order's times
        with connection.cursor() as cursor:
            cursor.execute(_ORDER_DAYS_SQL.format(orders=order_ids_sql), [*params, *params])
            for shop_id, day in cursor.fetchall():
                found[shop_id].add(day)
        return dict(found)
    moments = Order.objects.filter(pk__in=RawSQL(order_ids_sql, params)).values_list(
        "shop_id", "created_at", "paid_at", "cancelled_at"
    )
    refunds = AfterSale.objects.filter(
        order_id__in=RawSQL(order_ids_sql, params), finished_at__isnull=False
    ).values_list("shop_id", "finished_at")
    for shop_id, *times in [*moments, *refunds]:
        found[shop_id] |= {timezone.localtime(t).date() for t in times if t is not None}
    return dict(found)


def refresh(*found: dict[int, set[date]]) -> None:
    """Recompute each shop's rollups of these Beijing days exactly (and the days' rows of
    the creators with orders in the shop; the buyers' gaps of the whole shop). Takes
    several `days_of_orders` answers, e.g. before and after a write."""
    days_by_shop: dict[int, set[date]] = defaultdict(set)
    for days in found:
        for shop_id, shop_days in days.items():
            days_by_shop[shop_id] |= shop_days
    for shop_id, days in sorted(days_by_shop.items()):
        _recompute([shop_id], sorted(days))
