"""直播间实时订单, pushed: the bell rings after commit (affiliates.live_feed_push) and an
open feed sends what is new (affiliates.live_feed_stream), in-process and over Redis."""

import asyncio
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import sync_to_async
from django.db import connection, connections, transaction
from django.test import AsyncClient
from django.urls import reverse

from affiliates import live_feed_stream
from affiliates.factories import AllianceItemFactory, LiveItemFactory, LiveSessionFactory
from affiliates.live_feed import Room, order_key
from affiliates.live_feed_push import hub, session_room, shop_room
from affiliates.live_feed_stream import HEARTBEAT, Feed, events
from orders.factories import pay
from orders.models import OrderStatus
from tests.conftest import require_service

from .live_feed_support import live_order, older_transaction, sse_events

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["in-process", "redis"])
def bell(request, settings):
    """Where the bell rings: in this process only (no redis:// broker), or over Redis."""
    if request.param == "redis":
        url = os.environ.get("XIAODIAN_TEST_REDIS_URL")
        require_service(url is not None, "the harness's Redis server (XIAODIAN_TEST_REDIS_URL)")
        settings.CELERY_BROKER_URL = url
    return request.param


@pytest.fixture
def redis_bell(settings):
    url = os.environ.get("XIAODIAN_TEST_REDIS_URL")
    require_service(url is not None, "the harness's Redis server (XIAODIAN_TEST_REDIS_URL)")
    settings.CELERY_BROKER_URL = url


def _listen(room):
    """A waiter on `room`, once the Redis listener (if any) has said hello."""
    waiter = hub.subscribe(room)
    waiter.wait(1)  # a new Redis listener rings every room once it is subscribed
    waiter.take()
    return waiter


def _open(session):
    feed = Feed(room=Room.of_session(session), key=session_room(session.pk), session=session)
    stream = events(feed, None)
    first = next(stream)
    return stream, sse_events(first)[0]


def test_a_rolled_back_payment_rings_nothing(bell):
    # given: an unpaid order of a live room, and a feed listening to the room
    session = LiveSessionFactory()
    order = live_order(session, status=OrderStatus.UNPAID)
    waiter = _listen(session_room(session.pk))
    # when: it is paid in a transaction that then rolls back
    with pytest.raises(RuntimeError), transaction.atomic():
        pay(order)
        raise RuntimeError("the payment callback failed after paying")
    # then
    assert not waiter.wait(1)
    hub.unsubscribe(waiter)


def test_a_committed_payment_rings_its_room_and_shop_with_its_xid(bell):
    # given
    session = LiveSessionFactory()
    order = live_order(session, status=OrderStatus.UNPAID)
    room, screen = _listen(session_room(session.pk)), _listen(shop_room(order.shop_id))
    elsewhere = _listen(session_room(LiveSessionFactory(creator=session.creator).pk))
    # when
    pay(order)
    # then: rung once committed; the xid is the order's newest change's
    assert room.wait(5) and screen.wait(5)
    xid, closed = room.take()
    with connection.cursor() as db:
        db.execute("SELECT MAX(xid) FROM orders_orderchange WHERE order_id = %s", [order.pk])
        last = db.fetchone()[0]
    assert xid is not None and xid <= last and not closed
    assert not elsewhere.wait(0.5)
    for waiter in (room, screen, elsewhere):
        hub.unsubscribe(waiter)


def test_an_order_held_behind_the_horizon_appears_once_the_other_transaction_commits():
    # given: an open feed of a room with two unpaid orders
    session = LiveSessionFactory()
    other, paid = (live_order(session, status=OrderStatus.UNPAID) for _ in range(2))
    stream, _ = _open(session)
    # when: a payment commits and rings while an older transaction (that rings nothing)
    # holds the horizon, then that one commits
    with older_transaction(other):
        pay(paid)
        during = next(stream)
    after = []
    while len(after) < 10 and not any(sse_events(chunk) for chunk in after):
        after.append(next(stream))
    # then: the feed read it again once the horizon passed, and sent it
    assert during == HEARTBEAT
    keys = [o["key"] for chunk in after for event in sse_events(chunk) for o in event["orders"]]
    assert keys == [order_key(paid.pk)]
    stream.close()


def test_an_idle_feed_costs_no_query(redis_bell, monkeypatch, django_assert_num_queries):
    # given: an open feed over Redis, past the listener's hello
    monkeypatch.setattr(live_feed_stream, "HEARTBEAT_S", 0.2)
    stream, _ = _open(LiveSessionFactory())
    assert next(stream) == HEARTBEAT
    # when: nothing happens for a while / then: only heartbeats, and no query
    with django_assert_num_queries(0):
        beats = [next(stream) for _ in range(3)]
    assert beats == [HEARTBEAT] * 3
    stream.close()


def test_rotating_the_link_ends_its_open_feeds(client):
    # given: an open overlay
    session = LiveSessionFactory()
    stream, _ = _open(session)
    client.force_login(session.creator.user)
    client.post(reverse("console:switch"), {"context": "creator"})
    # when
    client.post(reverse("affiliates:lives_feed_rotate", args=[session.pk]))
    # then: the stream ends (EventSource reconnects, and the old link is a 404)
    with pytest.raises(StopIteration):
        next(stream)


def test_a_new_explaining_item_is_sent_to_the_open_overlay(client):
    # given: an open overlay of a live with a 精选联盟 item, none explained
    item = AllianceItemFactory()
    session = LiveSessionFactory(creator=item.creator)
    LiveItemFactory(item=item, session=session)
    stream, first = _open(session)
    client.force_login(session.creator.user)
    client.post(reverse("console:switch"), {"context": "creator"})
    # when
    client.post(reverse("affiliates:lives_explain", args=[session.pk, item.pk]))
    # then
    (event,) = sse_events(next(stream))
    assert first["explaining"] is None
    assert event["explaining"]["title"] == item.product.title
    stream.close()


@pytest.fixture
def readers():
    """The ASGI feeds' reader threads, their database connections closed afterwards."""
    yield
    barrier = threading.Barrier(live_feed_stream.READERS)

    def close():
        barrier.wait(10)  # one task per thread
        connection.close()

    for done in [live_feed_stream._readers.submit(close) for _ in range(barrier.parties)]:
        done.result()


def test_under_asgi_a_payment_reaches_the_open_feed(readers):
    # given: a live, its overlay's stream opened through Django's ASGI handler
    session = LiveSessionFactory()
    url = reverse("live:events", args=[session.feed_token])

    async def scenario():
        response = await AsyncClient().get(url)
        chunks = aiter(response.streaming_content)
        first = await anext(chunks)
        # when: a viewer's order is placed and paid
        order = await sync_to_async(live_order)(session)
        second = await asyncio.wait_for(anext(chunks), 5)
        await chunks.aclose()
        await sync_to_async(connections.close_all)()  # the thread's own connection
        return response, first.decode(), second.decode(), order

    # (on a loop of its own in a thread: the session's Playwright leaves the main thread's
    # loop marked running, which async_to_sync refuses)
    with ThreadPoolExecutor(1) as pool:
        response, first, second, order = pool.submit(asyncio.run, scenario()).result()
    # then: the state on connect, then the order, each with its cursor as the event id
    assert response["Content-Type"] == "text/event-stream"
    assert first.startswith("retry: ") and sse_events(first)[0]["orders"] == []
    (event,) = sse_events(second)
    assert [o["key"] for o in event["orders"]] == [order_key(order.pk)] and event["count"] == 1
    assert f"id: {event['cursor']}\n" in second
