"""orders.rules: each predicate a page shows a button by is the guard its service
refuses by — when the predicate says no the service refuses, when yes it succeeds."""

import itertools
import secrets
from datetime import timedelta

import pytest
from django.utils import timezone

from core.exceptions import DomainError
from orders import aftersales, rules, services
from orders.factories import OrderFactory
from orders.models import AfterSale, AfterSaleStatus, AfterSaleType, Order, OrderStatus
from products.factories import ProductFactory

pytestmark = pytest.mark.django_db

A = AfterSaleStatus
S = OrderStatus
T = AfterSaleType


def _succeeds(call) -> bool:
    try:
        call()
    except DomainError:
        return False
    return True


def _pay(order):
    """The provider's payment callback for the whole amount (paid, not yet accepted)."""
    return services.order_pay(
        order_id=order.pk,
        payment_id=f"TEST{secrets.token_hex(8)}",
        amount_fen=order.paid_fen,
        pay_method=1,
        provider="test",
        paid_at=timezone.now(),
    )


@pytest.fixture
def order_in(shop, sku, place):
    """order_in(status) -> an order of 2 × `sku` brought to `status` through the services
    (101: one unit shipped; 5 with `days_ago`: completed that long ago)."""

    def make(status, days_ago=0):
        if status in (S.UNPAID, S.PAID):
            order = place([(sku.pk, 2)])
            if status == S.PAID:
                _pay(order)
        else:
            order = OrderFactory(shop=shop, lines=[(sku.pk, 2)], status=status)
        if days_ago:
            Order.objects.filter(pk=order.pk).update(
                completed_at=timezone.now() - timedelta(days=days_ago)
            )
        return Order.objects.get(pk=order.pk)

    return make


@pytest.mark.parametrize("status", S.values)
def test_can_cancel_is_the_cancel_services_guard(order_in, status):
    # given
    order = order_in(status)
    # when
    allowed = rules.can_cancel(order)
    cancelled = _succeeds(
        lambda: services.order_cancel(order_id=order.pk, reason="买家不要了", actor_label="商家")
    )
    # then: an order already cancelled is left as it is (no button, nothing happens)
    assert allowed == (status == S.UNPAID)
    assert cancelled == (allowed or status == S.CANCELLED)
    order.refresh_from_db()
    assert (order.status == S.CANCELLED) == (allowed or status == S.CANCELLED)


@pytest.mark.parametrize("status", S.values)
def test_can_pay_is_the_payment_services_guard(order_in, status):
    # given
    order = order_in(status)
    # when
    allowed = rules.can_pay(order)
    paid = _succeeds(lambda: _pay(order))
    # then
    assert allowed == (status == S.UNPAID)
    assert paid == allowed


ORDER_STATES = [
    (S.UNPAID, 0),
    (S.PAID, 0),
    (S.AWAITING_SHIPMENT, 0),
    (S.PARTIALLY_SHIPPED, 0),
    (S.SHIPPED, 0),
    (S.COMPLETED, 1),
    (S.COMPLETED, rules.RETURN_WINDOW_DAYS + 1),
    (S.CANCELLED, 0),
]


@pytest.mark.parametrize(
    ("state", "type"), list(itertools.product(ORDER_STATES, T.values)), ids=str
)
def test_the_types_offered_are_the_types_aftersale_open_accepts(order_in, state, type):
    # given
    order = order_in(*state)
    item = order.items.get()
    # when
    offered = type in rules.aftersale_types_open(item)
    opened = _succeeds(
        lambda: aftersales.aftersale_open(
            item_id=item.pk,
            type=type,
            quantity=1,
            refund_fen=0 if type == T.EXCHANGE else 100,
            reason="不想要了",
        )
    )
    # then
    assert offered == opened


def test_no_type_is_offered_while_one_is_open(order_in):
    # given: an open 未发货仅退款 on the item
    item = order_in(S.AWAITING_SHIPMENT).items.get()
    aftersales.aftersale_open(
        item_id=item.pk, type=T.UNSHIPPED_REFUND_ONLY, quantity=1, refund_fen=100, reason="x"
    )
    # when
    offered = rules.aftersale_types_open(item, has_open=True)
    # then
    assert offered == []
    assert not _succeeds(
        lambda: aftersales.aftersale_open(
            item_id=item.pk, type=T.UNSHIPPED_REFUND_ONLY, quantity=1, refund_fen=100, reason="x"
        )
    )


@pytest.fixture
def return_in(order_in):
    """return_in(status, type=退货退款) -> an after-sale on a shipped order (not shipped
    for 未发货仅退款), put in `status`."""

    def make(status, type=T.RETURN_REFUND):
        unshipped = type == T.UNSHIPPED_REFUND_ONLY
        item = order_in(S.AWAITING_SHIPMENT if unshipped else S.SHIPPED).items.get()
        aftersale = aftersales.aftersale_open(
            item_id=item.pk,
            type=type,
            quantity=1,
            refund_fen=0 if type == T.EXCHANGE else 100,
            reason="质量问题",
        )
        AfterSale.objects.filter(pk=aftersale.pk).update(status=status)
        return AfterSale.objects.select_related("order", "item").get(pk=aftersale.pk)

    return make


MERCHANT = {
    "can_agree": (
        rules.can_agree,
        lambda ctx, pk: aftersales.aftersale_agree(context=ctx, aftersale_id=pk),
    ),
    "can_reject": (
        rules.can_reject,
        lambda ctx, pk: aftersales.aftersale_reject(context=ctx, aftersale_id=pk, reason="已使用"),
    ),
    "can_receive_return": (
        rules.can_receive_return,
        lambda ctx, pk: aftersales.aftersale_confirm_received(context=ctx, aftersale_id=pk),
    ),
}


@pytest.mark.parametrize(("name", "status"), list(itertools.product(MERCHANT, A.values)))
def test_merchant_buttons_are_the_services_guards(return_in, shop_context, name, status):
    # given
    predicate, act = MERCHANT[name]
    aftersale = return_in(status)
    # when
    allowed = predicate(aftersale)
    done = _succeeds(lambda: act(shop_context, aftersale.pk))
    # then
    assert done == allowed
    aftersale.refresh_from_db()
    assert (aftersale.status != status) == allowed


BUYER = {
    "can_send_return": (
        rules.can_send_return,
        lambda pk: aftersales.aftersale_buyer_return(
            aftersale_id=pk, carrier="顺丰", tracking_no="SF1234567890"
        ),
    ),
    "can_withdraw": (rules.can_withdraw, lambda pk: aftersales.aftersale_cancel(aftersale_id=pk)),
}


@pytest.mark.parametrize(("name", "status"), list(itertools.product(BUYER, A.values)))
def test_buyer_buttons_are_the_services_guards(return_in, name, status):
    # given
    predicate, act = BUYER[name]
    aftersale = return_in(status)
    # when
    allowed = predicate(aftersale)
    done = _succeeds(lambda: act(aftersale.pk))
    # then
    assert done == allowed
    aftersale.refresh_from_db()
    assert (aftersale.status != status) == allowed


@pytest.mark.parametrize("type", T.values)
def test_agreeing_waits_for_the_goods_exactly_when_the_rule_says(return_in, shop_context, type):
    # given: a request waiting for the merchant
    aftersale = return_in(A.AWAITING_MERCHANT, type=type)
    # when
    waits = rules.agree_awaits_return(aftersale)
    agreed = aftersales.aftersale_agree(context=shop_context, aftersale_id=aftersale.pk)
    # then
    assert (agreed.status == A.AWAITING_BUYER_RETURN) == waits


def test_items_to_ship_leaves_out_an_item_with_an_open_aftersale(shop, sku):
    # given: two items, one with an open refund request
    other = ProductFactory(shop=shop).skus.get()
    order = OrderFactory(shop=shop, lines=[(sku.pk, 1), (other.pk, 1)])
    first, second = order.items.order_by("pk")
    aftersales.aftersale_open(
        item_id=first.pk, type=T.UNSHIPPED_REFUND_ONLY, quantity=1, refund_fen=100, reason="x"
    )
    order = Order.objects.get(pk=order.pk)
    # when
    items = rules.items_to_ship(order, order.items.all(), order.aftersales.all())
    # then
    assert [item.pk for item in items] == [second.pk]


@pytest.mark.parametrize("status", S.values)
def test_nothing_is_to_ship_when_the_status_refuses_shipping(order_in, status):
    # given
    order = order_in(status)
    # when
    items = rules.items_to_ship(order, order.items.all(), order.aftersales.all())
    # then
    assert bool(items) == (status in (S.AWAITING_SHIPMENT, S.PARTIALLY_SHIPPED))
