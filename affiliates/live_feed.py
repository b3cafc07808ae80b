"""直播间实时订单: the paid orders of one live room (the creator's overlay in the
streaming software) or of a whole shop (the team's 大屏), read incrementally.

Which orders: an order belongs to a live session when checkout recorded its creator and
`live_room_id = str(session.pk)` (the live cart's buy links sign that attribution); it is
shown once it has a `paid_at`. Never an unpaid, invented or other room's order.

How new orders are found without missing one: the order change log (`orders.changes`,
written by triggers in the changing transaction) read below the same safe horizon as the
sync API, so a payment that commits after a later one is still picked up on the next read.
When to read is pushed (affiliates.live_feed_push rings, affiliates.live_feed_stream
sends Server-Sent Events); this module only reads.
Every write to an order logs a change, so an order can come back (its 备货中 a moment
later): the page keeps the keys it has shown and skips repeats, and only orders paid in
the last `FRESH` count as new, so a parcel shipped tomorrow is not "刚刚下单".

What leaves the server: province, city, the surname followed by "**" (the name's length
is not told), the first product's title; the order's id only as a keyed hash.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

# The sync's cursor format and horizon: the same log, read the same way.
from orders.changes import SAFE_HORIZON_SQL
from orders.changes import _decode as cursor_decode
from orders.changes import _encode as cursor_encode
from orders.models import Order, OrderItem
from shops.tenancy import get_scoped_or_404

from .live_feed_push import announce, session_room
from .models import LiveSession, new_feed_token

PAGE_MAX = 50
LATEST = 5  # orders shown when an overlay opens
FRESH = timedelta(minutes=10)


@dataclass(frozen=True)
class Room:
    """Whose orders a feed shows: one live session's, or one shop's."""

    creator_id: int | None = None
    live_room_id: str = ""
    shop_id: int | None = None

    @classmethod
    def of_session(cls, session: LiveSession) -> "Room":
        return cls(creator_id=session.creator_id, live_room_id=str(session.pk))

    def orders(self):
        if self.shop_id is not None:
            return Order.objects.filter(shop_id=self.shop_id)
        return Order.objects.filter(creator_id=self.creator_id, live_room_id=self.live_room_id)

    def sql(self) -> tuple[str, list]:
        if self.shop_id is not None:
            return "c.shop_id = %s", [self.shop_id]
        return "o.creator_id = %s AND o.live_room_id = %s", [self.creator_id, self.live_room_id]


@dataclass
class FeedPage:
    orders: list[dict]
    cursor: str
    count: int | None = None  # None: unchanged since the cursor
    explaining: dict | None = field(default=None)
    more: bool = False  # a full page: read again from `cursor` at once


# ---- the link ---------------------------------------------------------------------------


@transaction.atomic
def live_rotate_feed_token(*, context, session_id: int) -> LiveSession:
    """A new overlay link for the live; the old one stops working at once (its open
    feeds are closed)."""
    session = get_scoped_or_404(LiveSession.objects.select_for_update(), context, pk=session_id)
    session.feed_token = new_feed_token()
    session.save(update_fields=["feed_token"])
    announce([session_room(session.pk)], close=True)
    return session


# ---- what a line shows --------------------------------------------------------------------


def order_key(order_id: int) -> str:
    return salted_hmac("affiliates.live_feed", str(order_id)).hexdigest()[:16]


def masked_line(order: Order, product: str) -> dict:
    surname = (order.receiver_name or "").strip()[:1] or _("某")
    city = order.receiver_city if order.receiver_city != order.receiver_province else ""
    place = " ".join(part for part in (order.receiver_province, city) if part)
    buyer = f"{surname}**"
    return {
        "key": order_key(order.pk),
        "place": place,
        "buyer": buyer,
        "product": product,
        "text": _("%(place)s 的 %(buyer)s 刚刚下单 %(product)s")
        % {"place": place, "buyer": buyer, "product": product},
    }


def _lines(order_ids) -> list[dict]:
    """Masked lines of these orders, in the order given."""
    first_title = (
        OrderItem.objects.filter(order=OuterRef("pk")).order_by("id").values("product_title")[:1]
    )
    orders = {
        o.pk: o
        for o in Order.objects.filter(pk__in=order_ids)
        .only("id", "receiver_name", "receiver_province", "receiver_city")
        .annotate(product=Subquery(first_title))
    }
    return [masked_line(orders[pk], orders[pk].product or "") for pk in order_ids if pk in orders]


# ---- figures ------------------------------------------------------------------------------


def paid_count(room: Room) -> int:
    """The session's paid orders; for a shop, today's (Beijing day)."""
    orders = room.orders().filter(paid_at__isnull=False)
    if room.shop_id is not None:
        start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        orders = orders.filter(paid_at__gte=start)
    return orders.count()


# Every read asks it, so it is one plain statement (the ORM's subquery version cost more
# to compile than to run): the item's title, and the stock of its product's active SKUs.
EXPLAINING_SQL = """
    SELECT COALESCE(p.title, si.title), si.product_id,
           (SELECT SUM(k.stock) FROM products_sku k
            WHERE k.product_id = si.product_id AND k.is_active)
    FROM affiliates_liveitem li
    JOIN affiliates_showcaseitem si ON si.id = li.item_id
    LEFT JOIN products_product p ON p.id = si.product_id
    WHERE li.session_id = %s AND li.is_explaining
    LIMIT 1"""


def explaining(session: LiveSession) -> dict | None:
    """The 正在讲解 item and its stock left (None for an external item)."""
    with connection.cursor() as db:
        db.execute(EXPLAINING_SQL, [session.pk])
        row = db.fetchone()
    if row is None:
        return None
    title, product_id, stock = row
    return {"title": title, "stock": None if product_id is None else int(stock or 0)}


# ---- reading ------------------------------------------------------------------------------


def _changes(room: Room, xid: int, pk: int, size: int) -> tuple[list[tuple], tuple[int, int]]:
    """(xid, id, order_id) of the room's fresh paid orders' changes after (xid, pk) that
    no running transaction can precede (at most `size`, or `size + 1` when there are
    more), and where the next read starts."""
    where, params = room.sql()
    fresh = timezone.now() - FRESH
    if connection.vendor == "postgresql":
        # One statement, one snapshot: the rows and the horizon they are safe below. The
        # LEFT JOIN answers the horizon even when there is nothing new.
        sql = f"""
            WITH s AS (SELECT pg_current_snapshot() AS snap),
                 h AS (SELECT {SAFE_HORIZON_SQL} AS horizon FROM s)
            SELECT c.xid, c.id, c.order_id, h.horizon FROM h LEFT JOIN LATERAL (
                SELECT c.xid, c.id, c.order_id
                FROM orders_orderchange c JOIN orders_order o ON o.id = c.order_id
                WHERE c.xid >= %s AND (c.xid, c.id) > (%s, %s) AND c.xid < h.horizon
                  AND {where} AND o.paid_at >= %s
                ORDER BY c.xid, c.id LIMIT %s
            ) c ON true"""
        with connection.cursor() as db:
            db.execute(sql, [xid, xid, pk, *params, fresh, size + 1])
            rows = db.fetchall()
        horizon = rows[0][3]
        rows = [row[:3] for row in rows if row[1] is not None]
    else:
        # SQLite (`make run`): writers are serialised, so ids are commit order.
        with connection.cursor() as db:
            db.execute("SELECT COALESCE(MAX(id), 0) FROM orders_orderchange")
            (last,) = db.fetchone()
            db.execute(
                f"""SELECT -1, c.id, c.order_id
                FROM orders_orderchange c JOIN orders_order o ON o.id = c.order_id
                WHERE c.id > %s AND c.id <= %s AND {where} AND o.paid_at >= %s
                ORDER BY c.id LIMIT %s""",
                [pk, last, *params, fresh, size + 1],
            )
            rows = db.fetchall()
        horizon = None
    if len(rows) > size:
        return rows, (rows[size - 1][0], rows[size - 1][1])
    if horizon is None:
        return rows, (-1, last)
    return rows, max((xid, pk), (horizon, 0))


def feed_read(*, room: Room, cursor: str | None, session: LiveSession | None = None) -> FeedPage:
    """Without a cursor: the latest paid orders and the cursor of now. With one: the paid
    orders that arrived since. Raises BadChangeCursor."""
    if cursor:
        xid, pk = cursor_decode(cursor)
        rows, (xid, pk) = _changes(room, xid, pk, PAGE_MAX)
        more = len(rows) > PAGE_MAX
        order_ids = list(dict.fromkeys(row[2] for row in rows[:PAGE_MAX]))
        lines = _lines(order_ids)
        count = paid_count(room) if lines else None
    else:
        more = False
        xid, pk = _start()
        latest = (
            room.orders()
            .filter(paid_at__isnull=False)
            .order_by("-paid_at", "-id")
            .values_list("id", flat=True)[:LATEST]
        )
        # Oldest first, as they would have arrived.
        lines = _lines(list(reversed(latest)))
        count = paid_count(room)
    return FeedPage(
        orders=lines,
        cursor=cursor_encode(xid, pk),
        count=count,
        explaining=explaining(session) if session is not None else None,
        more=more,
    )


def _start() -> tuple[int, int]:
    """The cursor of now: everything below the current horizon counts as seen."""
    if connection.vendor == "postgresql":
        with connection.cursor() as db:
            db.execute(
                f"WITH s AS (SELECT pg_current_snapshot() AS snap) SELECT {SAFE_HORIZON_SQL} FROM s"
            )
            return db.fetchone()[0], 0
    with connection.cursor() as db:
        db.execute("SELECT COALESCE(MAX(id), 0) FROM orders_orderchange")
        return -1, db.fetchone()[0]


def feed_json(page: FeedPage) -> dict:
    return {
        "orders": page.orders,
        "cursor": page.cursor,
        "count": page.count,
        "explaining": page.explaining,
    }
