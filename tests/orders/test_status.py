import itertools

import pytest

from orders.exceptions import TransitionRefused
from orders.models import OrderEvent, OrderItem, OrderStatus
from orders.status import TRANSITIONS, determine_status, order_set_status

pytestmark = pytest.mark.django_db

S = OrderStatus
PAIRS = [(a, b) for a, b in itertools.product(S.values, S.values) if a != b]


@pytest.mark.parametrize(("from_status", "to_status"), PAIRS)
def test_transition_table(bare_order, from_status, to_status):
    # given
    order = bare_order(from_status)
    # when / then
    if to_status in TRANSITIONS[from_status]:
        changed = order_set_status(order_id=order.pk, to_status=to_status, actor_label="测试")
        assert changed.status == to_status
        event = OrderEvent.objects.get(order=order)
        assert (event.from_status, event.to_status) == (from_status, to_status)
    else:
        with pytest.raises(TransitionRefused, match=order.order_no):
            order_set_status(order_id=order.pk, to_status=to_status)
        order.refresh_from_db()
        assert order.status == from_status
        assert not OrderEvent.objects.filter(order=order).exists()


def test_asking_for_the_current_status_changes_nothing(bare_order):
    order = bare_order(S.AWAITING_SHIPMENT)
    order_set_status(order_id=order.pk, to_status=S.AWAITING_SHIPMENT)
    assert not OrderEvent.objects.filter(order=order).exists()


def _items(*quantities):
    """OrderItems (unsaved) as (quantity, shipped, refunded) triples."""
    return [
        OrderItem(quantity=q, shipped_quantity=s, refunded_quantity=r) for q, s, r in quantities
    ]


@pytest.mark.parametrize(
    ("quantities", "expected"),
    [
        ([(2, 0, 0)], S.AWAITING_SHIPMENT),
        ([(2, 1, 0)], S.PARTIALLY_SHIPPED),
        ([(2, 2, 0)], S.SHIPPED),
        ([(2, 2, 0), (1, 0, 0)], S.PARTIALLY_SHIPPED),
        ([(2, 1, 1)], S.SHIPPED),
        ([(2, 0, 2), (1, 0, 1)], S.CANCELLED),
        ([(2, 0, 2), (1, 0, 0)], S.AWAITING_SHIPMENT),
    ],
)
def test_status_derived_from_item_quantities(bare_order, quantities, expected):
    order = bare_order(S.AWAITING_SHIPMENT)
    assert determine_status(order, _items(*quantities)) == expected


def test_derivation_leaves_orders_not_being_shipped_alone(bare_order):
    order = bare_order(S.COMPLETED)
    assert determine_status(order, _items((1, 1, 0))) == S.COMPLETED


def test_shipping_stamps_the_auto_complete_time(bare_order, shop):
    # given
    order = bare_order(S.AWAITING_SHIPMENT)
    # when
    order = order_set_status(order_id=order.pk, to_status=S.SHIPPED)
    # then
    assert (order.auto_complete_at - order.shipped_at).days == shop.auto_confirm_days
