"""Orders bought from a live room, as the live cart's buy links record them; reading a
feed's event stream."""

import json
import threading
from contextlib import contextmanager

from django.db import connection, transaction

from orders.attribution import Attribution
from orders.factories import OrderFactory
from orders.models import Channel, Order, OrderStatus, TrafficSource
from products.factories import ProductFactory

RECEIVER = {
    "name": "欧阳娜娜",
    "phone": "13912345678",
    "province": "广东省",
    "city": "深圳市",
    "district": "南山区",
    "street": "粤海街道",
    "detail": "科技园南区 8 栋 1203",
}


def live_attribution(session, *, room: str | None = None) -> Attribution:
    return Attribution(
        creator_id=session.creator_id,
        channel=Channel.SHOP,
        traffic_source=TrafficSource.LIVE,
        live_room_id=str(session.pk) if room is None else room,
    )


def live_order(session, *, status=OrderStatus.AWAITING_SHIPMENT, room=None, sku=None):
    """An order of the live room (paid and accepted unless `status` says otherwise), of
    one unit of `sku` or of a new product."""
    sku = sku or ProductFactory(title="加绒连帽卫衣").skus.get()
    return OrderFactory(
        shop=sku.product.shop,
        lines=[(sku.pk, 1)],
        status=status,
        receiver=dict(RECEIVER),
        attribution=live_attribution(session, room=room),
    )


def sse_events(text: str) -> list[dict]:
    """The data of each event in a piece of an event stream (comments skipped)."""
    events = []
    for block in text.split("\n\n"):
        data = [line[len("data: ") :] for line in block.split("\n") if line.startswith("data: ")]
        if data:
            events.append(json.loads("\n".join(data)))
    return events


def first_event(client, url: str, cursor: str = "") -> tuple[dict, object]:
    """Open a feed's stream, take its first event and close it."""
    headers = {"Last-Event-ID": cursor} if cursor else {}
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    chunk = next(response.streaming_content).decode()
    # Close the test client's wrapper round the stream, as a WSGI server would: it ends
    # the feed without its request_finished closing the test's database connection.
    response._iterator.close()
    (event,) = sse_events(chunk)
    return event, response


@contextmanager
def older_transaction(order, *, then=None):
    """A transaction in another thread that writes `order` (so its xid is older than any
    started inside the block), stays open for the block, then runs `then()` and commits."""
    started, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                Order.objects.filter(pk=order.pk).update(seller_remark="直播间")
                started.set()
                release.wait(10)
                if then is not None:
                    then()
        finally:
            connection.close()

    writer = threading.Thread(target=hold)
    writer.start()
    assert started.wait(10)
    try:
        yield
    finally:
        release.set()
        writer.join()
