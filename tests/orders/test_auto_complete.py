"""Auto-complete runs from the sign time of the last parcel to be signed, or from when
the last parcel shipped; never from an earlier parcel's sign time (issue 9, item 9)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.exceptions import OrderError
from orders.factories import pay, ship
from orders.models import Order, OrderStatus
from orders.services import order_mark_signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def partly_shipped(place, sku):
    """Two units, one shipped 20 days ago (and nothing else yet)."""
    order = ship(pay(place([(sku.pk, 2)])), partly=True)
    Order.objects.filter(pk=order.pk).update(shipped_at=timezone.now() - timedelta(days=20))
    return Order.objects.get(pk=order.pk)


def test_last_parcel_shipping_after_an_earlier_sign_starts_the_clock_now(partly_shipped, shop):
    # given: the first parcel was signed for 19 days ago
    order_mark_signed(order_id=partly_shipped.pk, signed_at=timezone.now() - timedelta(days=19))
    # when: the second parcel ships
    before = timezone.now()
    order = ship(Order.objects.get(pk=partly_shipped.pk))
    # then: the buyer has the full window from now, not one that ended days ago
    assert order.status == OrderStatus.SHIPPED
    assert order.auto_complete_at >= before + timedelta(days=shop.auto_confirm_days)


def test_sign_of_the_last_parcel_moves_the_clock_to_its_sign_time(partly_shipped, shop):
    # given
    order_mark_signed(order_id=partly_shipped.pk, signed_at=timezone.now() - timedelta(days=19))
    ship(Order.objects.get(pk=partly_shipped.pk))
    signed = timezone.now() + timedelta(hours=1)
    # when
    order = order_mark_signed(order_id=partly_shipped.pk, signed_at=signed)
    # then
    assert order.signed_at == signed
    assert order.auto_complete_at == signed + timedelta(days=shop.auto_confirm_days)


def test_a_sign_reported_late_moves_nothing_back(partly_shipped):
    # given: everything shipped, the last parcel signed
    order = ship(Order.objects.get(pk=partly_shipped.pk))
    last = timezone.now() + timedelta(hours=1)
    order = order_mark_signed(order_id=order.pk, signed_at=last)
    due = order.auto_complete_at
    # when: the first parcel's sign arrives after it
    order = order_mark_signed(order_id=order.pk, signed_at=timezone.now() - timedelta(days=19))
    # then
    order.refresh_from_db()
    assert (order.signed_at, order.auto_complete_at) == (last, due)


def test_a_sign_time_before_the_ship_time_is_refused(partly_shipped):
    # when
    with pytest.raises(OrderError) as refused:
        order_mark_signed(
            order_id=partly_shipped.pk, signed_at=partly_shipped.shipped_at - timedelta(hours=1)
        )
    # then
    assert "signed_at" in refused.value.fields
    partly_shipped.refresh_from_db()
    assert partly_shipped.signed_at is None
