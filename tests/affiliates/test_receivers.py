import pytest

from orders.aftersales import aftersale_agree
from orders.factories import OrderFactory
from orders.models import OrderStatus
from orders.services import order_cancel
from products.factories import ProductFactory
from tests.orders.aftersale_support import refund_request

pytestmark = pytest.mark.django_db


def test_paid_units_count_as_sales(owner, django_capture_on_commit_callbacks):
    # given
    product = ProductFactory(shop=owner.shop)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        OrderFactory(shop=owner.shop, lines=[(product.skus.get().pk, 3)], status=OrderStatus.PAID)
    # then
    product.refresh_from_db()
    assert product.sales_count == 3


def test_an_unpaid_order_cancelled_counts_nothing(owner, django_capture_on_commit_callbacks):
    # given
    product = ProductFactory(shop=owner.shop)
    with django_capture_on_commit_callbacks(execute=True):
        order = OrderFactory(
            shop=owner.shop, lines=[(product.skus.get().pk, 2)], status=OrderStatus.UNPAID
        )
    # when
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order_id=order.pk, reason="买家不想要了")
    # then
    product.refresh_from_db()
    assert product.sales_count == 0


def test_a_paid_order_refunded_before_shipping_takes_its_sales_back(
    owner, context_for, django_capture_on_commit_callbacks
):
    # given
    product = ProductFactory(shop=owner.shop)
    with django_capture_on_commit_callbacks(execute=True):
        order = OrderFactory(shop=owner.shop, lines=[(product.skus.get().pk, 2)])
    aftersale = refund_request(order, quantity=2, reason="不想要了")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        aftersale_agree(context=context_for(owner), aftersale_id=aftersale.pk)
    # then
    order.refresh_from_db()
    product.refresh_from_db()
    assert (order.status, product.sales_count) == (OrderStatus.CANCELLED, 0)
