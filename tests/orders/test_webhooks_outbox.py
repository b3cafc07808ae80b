"""The outbox on real transactions: an event exists once its change commits, whether or
not a worker runs, and fan-out never passes a transaction that is still writing."""

import json
import threading

import pytest
from django.db import connection, transaction

from orders.factories import OrderFactory
from orders.models import Order, OrderStatus
from orders.webhooks import services
from orders.webhooks.delivery import fan_out
from orders.webhooks.factories import endpoint_make
from orders.webhooks.models import EventType, WebhookDelivery, WebhookEvent
from tests.orders.webhook_support import dispatch, receiver  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_committed_change_keeps_its_event_until_a_worker_comes(
    owner,
    context_for,
    receiver,  # noqa: F811
):
    # given: orders committed while nothing delivers
    order = OrderFactory(shop=owner.shop, status=OrderStatus.UNPAID)
    assert list(WebhookEvent.objects.filter(order_id=order.pk).values_list("type", flat=True)) == [
        "order.created"
    ]
    # when: an endpoint is registered and the dispatcher runs
    services.endpoint_create(
        context=context_for(owner), url=receiver.url, events=list(EventType.values)
    )
    dispatch()
    # then
    assert len(receiver.requests) == 1


def test_fan_out_waits_for_a_transaction_that_started_first_and_commits_last(owner, receiver):  # noqa: F811
    # given: two committed orders of the shop with an endpoint (made with the ORM)

    endpoint_make(shop=owner.shop, url=receiver.url)
    first, second = (OrderFactory(shop=owner.shop, status=OrderStatus.UNPAID) for _ in range(2))
    fan_out()
    written, release, done = threading.Event(), threading.Event(), threading.Event()

    def slow_writer():
        # writes first (smaller xid) and commits last
        try:
            with transaction.atomic():
                Order.objects.filter(pk=first.pk).update(status=OrderStatus.CANCELLED)
                written.set()
                release.wait(10)
        finally:
            connection.close()
            done.set()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    written.wait(10)
    # when: a later transaction commits its change, and fan-out runs
    Order.objects.filter(pk=second.pk).update(status=OrderStatus.CANCELLED)
    fan_out()
    held_back = WebhookDelivery.objects.filter(event__type="order.cancelled").count()
    release.set()
    done.wait(10)
    thread.join(10)
    fan_out()
    # then: nothing passed the running writer; afterwards both, the first writer's first
    cancelled = list(
        WebhookDelivery.objects.filter(event__type="order.cancelled")
        .order_by("id")
        .values_list("order_id", flat=True)
    )
    assert held_back == 0
    assert cancelled == [first.pk, second.pk]


def test_two_dispatchers_never_fan_an_event_out_twice(owner, receiver):  # noqa: F811
    # given
    endpoint_make(shop=owner.shop, url=receiver.url)
    for _ in range(5):
        OrderFactory(shop=owner.shop, status=OrderStatus.UNPAID)
    start = threading.Barrier(2)

    def run():
        try:
            start.wait(10)
            fan_out()
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    # then
    assert WebhookDelivery.objects.count() == 5
    assert WebhookDelivery.objects.values("event_id").distinct().count() == 5


def test_a_committed_status_change_kicks_the_dispatcher(owner, receiver):  # noqa: F811
    # given
    endpoint_make(shop=owner.shop, url=receiver.url, events=[EventType.ORDER_PAID])
    # when: the order is paid and committed; nobody runs the dispatcher by hand
    OrderFactory(shop=owner.shop)
    # then
    assert [json.loads(r["body"])["type"] for r in receiver.requests] == ["order.paid"]
