from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from orders.aftersales import aftersale_open
from orders.factories import BUYER, RECEIVER, OrderFactory
from orders.models import AfterSaleType, Order, OrderEvent, OrderStatus
from orders.services import (
    order_mark_signed,
    order_place,
    orders_cancel_unpaid,
    orders_complete_due,
)
from orders.tasks import orders_cancel_unpaid_task, orders_complete_due_task
from products.factories import SkuFactory
from products.models import StockMove, StockMoveReason

from ..concurrency import run_together

pytestmark = pytest.mark.django_db


@pytest.fixture
def unpaid(place, sku):
    """Three unpaid orders of 1 unit each, due to cancel 30 minutes after placing."""
    return [place([(sku.pk, 1)]) for _ in range(3)]


def test_unpaid_orders_cancel_after_the_deadline_and_release_stock(unpaid, sku):
    # given
    now = timezone.now()
    # when
    before = orders_cancel_unpaid(now=now + timedelta(minutes=29))
    after = orders_cancel_unpaid(now=now + timedelta(minutes=31))
    # then
    sku.refresh_from_db()
    assert (before, after) == (0, 3)
    assert sku.stock == 10
    assert set(Order.objects.values_list("status", flat=True)) == {OrderStatus.CANCELLED}
    assert Order.objects.filter(cancel_reason__contains="超时未支付").count() == 3


def test_cancel_timer_run_twice_changes_each_order_once(unpaid, sku):
    # given
    later = timezone.now() + timedelta(hours=1)
    # when
    first = orders_cancel_unpaid(now=later)
    second = orders_cancel_unpaid(now=later)
    # then
    assert (first, second) == (3, 0)
    assert StockMove.objects.filter(sku=sku, reason=StockMoveReason.CANCEL).count() == 3
    assert OrderEvent.objects.filter(to_status=OrderStatus.CANCELLED).count() == 3


def test_cancel_timer_catches_up_after_downtime(place, sku):
    # given: orders placed, then a day without the timer
    orders = [place([(sku.pk, 1)]) for _ in range(2)]
    Order.objects.filter(pk=orders[0].pk).update(pay_deadline=timezone.now() - timedelta(days=1))
    # when
    done = orders_cancel_unpaid(now=timezone.now() + timedelta(days=1))
    # then
    assert done == 2


def test_paid_orders_are_not_cancelled(shop):
    order = OrderFactory(shop=shop)
    assert orders_cancel_unpaid(now=timezone.now() + timedelta(days=1)) == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_SHIPMENT


def test_shipped_orders_complete_when_due_run_twice(shop):
    # given
    orders = [OrderFactory(shop=shop, status=OrderStatus.SHIPPED) for _ in range(2)]
    due = orders[0].auto_complete_at
    # when
    early = orders_complete_due(now=due - timedelta(minutes=1))
    first = orders_complete_due(now=due + timedelta(days=1))
    second = orders_complete_due(now=due + timedelta(days=1))
    # then
    assert (early, first, second) == (0, 2, 0)
    assert OrderEvent.objects.filter(to_status=OrderStatus.COMPLETED).count() == 2


def test_signed_orders_complete_from_the_sign_time(shop):
    # given
    order = OrderFactory(shop=shop, status=OrderStatus.SHIPPED)
    signed_at = timezone.now() + timedelta(days=2)
    order_mark_signed(order_id=order.pk, signed_at=signed_at)
    # when / then
    assert orders_complete_due(now=order.auto_complete_at + timedelta(hours=1)) == 0
    assert orders_complete_due(now=signed_at + timedelta(days=shop.auto_confirm_days)) == 1


def test_open_aftersale_holds_completion(shop):
    # given
    order = OrderFactory(shop=shop, status=OrderStatus.SHIPPED)
    item = order.items.get()
    aftersale_open(
        item_id=item.pk,
        type=AfterSaleType.SHIPPED_REFUND_ONLY,
        quantity=1,
        refund_fen=100,
        reason="少件",
    )
    # when
    done = orders_complete_due(now=order.auto_complete_at + timedelta(days=1))
    # then
    order.refresh_from_db()
    assert done == 0 and order.status == OrderStatus.SHIPPED


def test_tasks_and_command_run_the_timers(unpaid, shop):
    # given
    Order.objects.filter(pk=unpaid[0].pk).update(pay_deadline=timezone.now() - timedelta(minutes=1))
    shipped = OrderFactory(shop=shop, status=OrderStatus.SHIPPED)
    Order.objects.filter(pk=shipped.pk).update(auto_complete_at=timezone.now())
    # when
    results = (orders_cancel_unpaid_task.delay().get(), orders_complete_due_task.delay().get())
    call_command("run_timers")
    # then
    assert results == (1, 1)
    assert Order.objects.filter(status=OrderStatus.CANCELLED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_timer_runs_at_once_cancel_each_order_once():
    # given
    sku = SkuFactory(stock=20)
    for _ in range(20):
        order_place(shop=sku.shop, lines=[(sku.pk, 1)], receiver=RECEIVER, buyer=BUYER)
    later = timezone.now() + timedelta(hours=1)
    counts = []
    # when
    run_together([lambda: counts.append(orders_cancel_unpaid(now=later))] * 2)
    # then
    sku.refresh_from_db()
    assert sum(counts) == 20 and sku.stock == 20
    assert OrderEvent.objects.filter(to_status=OrderStatus.CANCELLED).count() == 20
