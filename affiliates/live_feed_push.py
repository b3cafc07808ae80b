"""直播间实时订单, pushed: the doorbell that wakes an open feed when its room has news.

A feed (affiliates.live_feed_stream) holds no query open while it waits: it sleeps on a
`Waiter` until `announce` rings its room, then reads what is new. Rooms are named
`live:<session id>` (one live room) and `shop:<shop id>` (the shop's 大屏).

What rings, always after the change commits (so a rolled-back payment rings nothing):
an order's payment (`order_status_changed` → PAID, which orders sends on commit), the
正在讲解 item changing (affiliates.carts), the overlay link being rotated (which also
closes the old link's open feeds).

Between processes the bell is Redis pub/sub on the Celery broker (one channel; every
message names its rooms): each process that serves feeds keeps ONE listener thread and
ONE Redis connection, however many feeds it holds, and rings its own waiters. Without a
redis:// broker (tests with eager Celery, `make run`) the bell rings in-process only:
writers in the same process (the dev server, eager tasks) wake feeds at once, and feeds
also re-read every `FALLBACK_S` for writers in other processes (a management command).

A payment rings with its transaction's xid: a read held back by an older transaction
still running (the change log's horizon, orders.changes) has not reached that xid yet,
so the feed reads again shortly instead of missing the order.
"""

import asyncio
import json
import logging
import threading
import time

from django.conf import settings
from django.db import connection, transaction

from orders.models import OrderStatus

log = logging.getLogger(__name__)

CHANNEL = "xiaodian:live-feed"
FALLBACK_S = 10.0  # re-read interval without Redis (in-process bell only)
RECONNECT_S = 1.0


def session_room(session_id) -> str:
    return f"live:{session_id}"


def shop_room(shop_id) -> str:
    return f"shop:{shop_id}"


def redis_url() -> str | None:
    url = settings.CELERY_BROKER_URL or ""
    return url if url.startswith(("redis://", "rediss://", "unix://")) else None


class Waiter:
    """One open feed's bell. `ring` may come from any thread; the feed waits on it in
    its own thread (the dev server) or event loop (uvicorn)."""

    def __init__(self, room: str, loop: asyncio.AbstractEventLoop | None = None):
        self.room = room
        self._loop = loop
        self._event = asyncio.Event() if loop else threading.Event()
        self._lock = threading.Lock()
        self._xid = None
        self._closed = False

    def ring(self, xid: int | None = None, close: bool = False) -> None:
        with self._lock:
            if xid is not None:
                self._xid = xid if self._xid is None else max(self._xid, xid)
            self._closed |= close
        if self._loop is None:
            self._event.set()
        else:
            self._loop.call_soon_threadsafe(self._event.set)

    def take(self) -> tuple[int | None, bool]:
        """The newest xid rung since the last take, and whether the feed must end."""
        with self._lock:
            self._event.clear()
            xid, self._xid = self._xid, None
            return xid, self._closed

    def wait(self, timeout: float) -> bool:
        return self._event.wait(timeout)

    async def wait_async(self, timeout: float) -> bool:
        try:
            await asyncio.wait_for(self._event.wait(), timeout)
        except TimeoutError:
            return False
        return True


class Hub:
    """The waiters of this process, by room."""

    def __init__(self):
        self._lock = threading.Lock()
        self._rooms: dict[str, set[Waiter]] = {}
        self._listener: threading.Thread | None = None

    def subscribe(self, room: str, loop=None) -> Waiter:
        waiter = Waiter(room, loop)
        with self._lock:
            self._rooms.setdefault(room, set()).add(waiter)
            url = redis_url()
            if url and (self._listener is None or not self._listener.is_alive()):
                self._listener = threading.Thread(
                    target=self._listen, args=(url,), name="live-feed-redis", daemon=True
                )
                self._listener.start()
        return waiter

    def unsubscribe(self, waiter: Waiter) -> None:
        with self._lock:
            waiters = self._rooms.get(waiter.room, set())
            waiters.discard(waiter)
            if not waiters:
                self._rooms.pop(waiter.room, None)

    def ring(self, rooms, xid=None, close=False) -> None:
        with self._lock:
            waiters = [w for room in rooms for w in self._rooms.get(room, ())]
        for waiter in waiters:
            waiter.ring(xid, close)

    def ring_all(self) -> None:
        with self._lock:
            rooms = list(self._rooms)
        self.ring(rooms)

    def _listen(self, url: str) -> None:
        import redis

        while True:
            try:
                client = redis.Redis.from_url(url, health_check_interval=30)
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(CHANNEL)
                # Whatever was published while this listener was away is lost: every
                # feed reads once, from its own cursor, and misses nothing.
                self.ring_all()
                for message in pubsub.listen():
                    data = json.loads(message["data"])
                    self.ring(data["rooms"], data.get("xid"), data.get("close", False))
            except Exception:
                log.warning("live feed: Redis listener lost, reconnecting", exc_info=True)
                time.sleep(RECONNECT_S)


hub = Hub()
_publisher = {}


def _publish(message: dict) -> None:
    url = redis_url()
    if url is None:
        hub.ring(message["rooms"], message.get("xid"), message.get("close", False))
        return
    import redis

    try:
        client = _publisher.get(url) or _publisher.setdefault(url, redis.Redis.from_url(url))
        client.publish(CHANNEL, json.dumps(message))
    except redis.RedisError:
        # Feeds in this process still hear it; the others catch up on their next ring
        # (a read is from the feed's cursor, so nothing is skipped, only later).
        log.warning("live feed: cannot publish to Redis", exc_info=True)
        hub.ring(message["rooms"], message.get("xid"), message.get("close", False))


def announce(rooms: list[str], *, xid: int | None = None, close: bool = False) -> None:
    """Ring `rooms` once the current transaction commits (at once outside one)."""
    message = {"rooms": rooms, "xid": xid, "close": close}
    transaction.on_commit(lambda: _publish(message), robust=True)


# The paid order: its rooms, and the newest transaction that changed it (the payment's,
# or a later one's), which a feed's cursor must pass before it has read the payment.
PAID_ORDER_SQL = """
    SELECT o.shop_id, o.creator_id, o.live_room_id,
           (SELECT MAX(c.xid) FROM orders_orderchange c WHERE c.order_id = o.id)
    FROM orders_order o WHERE o.id = %s"""


def ring_paid_order(sender, *, order_id, to_status, **kwargs):
    """order_status_changed receiver (sent on commit): a paid order rings its shop's 大屏
    and, when checkout attributed it to a live room, that room."""
    if to_status != OrderStatus.PAID:
        return
    with connection.cursor() as db:
        db.execute(PAID_ORDER_SQL, [order_id])
        row = db.fetchone()
    if row is None:
        return
    shop_id, creator_id, live_room_id, xid = row
    rooms = [shop_room(shop_id)]
    if creator_id and live_room_id:
        rooms.append(session_room(live_room_id))
    announce(rooms, xid=xid)
