import itertools
from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from core.exceptions import PermissionRefused
from orders import aftersales
from orders.aftersales import TRANSITIONS, aftersale_set_status
from orders.exceptions import AfterSaleError, AfterSaleRefused, ShipmentRefused
from orders.factories import OrderFactory
from orders.models import (
    AfterSale,
    AfterSaleEvent,
    AfterSaleStatus,
    AfterSaleType,
    Order,
    OrderEventKind,
    OrderStatus,
)
from orders.shipping import order_record_shipment
from shops.roles import Role

pytestmark = pytest.mark.django_db

A = AfterSaleStatus
T = AfterSaleType
PAIRS = [(a, b) for a, b in itertools.product(A.values, A.values) if a != b]


def _open(item, type=T.UNSHIPPED_REFUND_ONLY, quantity=None, refund_fen=None, **kwargs):
    return aftersales.aftersale_open(
        item_id=item.pk,
        type=type,
        quantity=quantity or item.quantity,
        refund_fen=item.paid_fen if refund_fen is None else refund_fen,
        reason=kwargs.pop("reason", "不想要了"),
        **kwargs,
    )


@pytest.fixture
def paid(shop, sku):
    """A paid order (备货中) for 2 units of `sku`."""
    return OrderFactory(shop=shop, lines=[(sku.pk, 2)])


@pytest.fixture
def shipped(shop, sku):
    return OrderFactory(shop=shop, lines=[(sku.pk, 2)], status=OrderStatus.SHIPPED)


@pytest.mark.parametrize(("from_status", "to_status"), PAIRS)
def test_aftersale_transition_table(paid, from_status, to_status):
    # given
    aftersale = _open(paid.items.get())
    AfterSale.objects.filter(pk=aftersale.pk).update(status=from_status)
    # when / then
    if to_status in TRANSITIONS[from_status]:
        changed = aftersale_set_status(aftersale_id=aftersale.pk, to_status=to_status)
        assert changed.status == to_status
        assert AfterSaleEvent.objects.filter(aftersale=aftersale, to_status=to_status).exists()
    else:
        with pytest.raises(AfterSaleRefused, match=aftersale.aftersale_no):
            aftersale_set_status(aftersale_id=aftersale.pk, to_status=to_status)
        aftersale.refresh_from_db()
        assert aftersale.status == from_status


def test_unshipped_refund_returns_stock_and_cancels_the_order(paid, sku, shop_context):
    # given
    aftersale = _open(paid.items.get())
    # when
    aftersale = aftersales.aftersale_agree(context=shop_context, aftersale_id=aftersale.pk)
    # then
    paid.refresh_from_db()
    sku.refresh_from_db()
    item = paid.items.get()
    assert aftersale.status == A.SUCCEEDED
    assert (item.refunded_quantity, item.refunded_fen) == (2, 19800)
    assert sku.stock == 10
    assert paid.status == OrderStatus.CANCELLED and paid.cancel_reason


def test_partial_refund_keeps_the_order_to_ship(paid, sku, shop_context):
    aftersale = _open(paid.items.get(), quantity=1, refund_fen=9900)
    aftersales.aftersale_agree(context=shop_context, aftersale_id=aftersale.pk)
    paid.refresh_from_db()
    sku.refresh_from_db()
    assert paid.status == OrderStatus.AWAITING_SHIPMENT and sku.stock == 9


def test_refund_of_the_rest_after_partial_shipping_makes_it_shipped(shop, sku, shop_context):
    # given
    order = OrderFactory(shop=shop, lines=[(sku.pk, 2)], status=OrderStatus.PARTIALLY_SHIPPED)
    aftersale = _open(order.items.get(), quantity=1, refund_fen=9900)
    # when
    aftersales.aftersale_agree(context=shop_context, aftersale_id=aftersale.pk)
    # then
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED


def test_refund_never_exceeds_what_was_paid(paid):
    item = paid.items.get()
    with pytest.raises(AfterSaleError, match="198.00") as caught:
        _open(item, refund_fen=item.paid_fen + 1)
    assert "refund_fen" in caught.value.fields


def test_refund_counts_what_was_already_refunded(paid, shop_context):
    # given
    item = paid.items.get()
    first = _open(item, quantity=1, refund_fen=9900)
    aftersales.aftersale_agree(context=shop_context, aftersale_id=first.pk)
    # when / then
    with pytest.raises(AfterSaleError, match="99.00"):
        _open(item, quantity=1, refund_fen=9901)


def test_one_open_aftersale_per_item(paid):
    item = paid.items.get()
    first = _open(item, quantity=1, refund_fen=100)
    with pytest.raises(AfterSaleError, match=first.aftersale_no):
        _open(item, quantity=1, refund_fen=100)


def test_shipment_refused_while_an_aftersale_is_open(paid):
    # given
    item = paid.items.get()
    aftersale = _open(item, quantity=1, refund_fen=100)
    # when / then
    with pytest.raises(ShipmentRefused, match=aftersale.aftersale_no):
        order_record_shipment(order_id=paid.pk, lines=[(item.pk, 2)])


def test_shipment_allowed_after_rejection(paid, shop_context):
    item = paid.items.get()
    aftersale = _open(item, quantity=1, refund_fen=100)
    aftersales.aftersale_reject(context=shop_context, aftersale_id=aftersale.pk, reason="已打包")
    order = order_record_shipment(order_id=paid.pk, lines=[(item.pk, 2)])
    assert order.status == OrderStatus.SHIPPED


def test_unshipped_refund_refused_once_shipped(shipped):
    with pytest.raises(AfterSaleError, match="已发货仅退款"):
        _open(shipped.items.get())


def test_shipped_refund_refused_before_shipping(paid):
    with pytest.raises(AfterSaleError, match="未发货仅退款"):
        _open(paid.items.get(), type=T.SHIPPED_REFUND_ONLY)


def test_shipped_refund_keeps_the_stock(shipped, sku, shop_context):
    # given
    aftersale = _open(shipped.items.get(), type=T.SHIPPED_REFUND_ONLY, quantity=1, refund_fen=500)
    # when
    aftersales.aftersale_agree(context=shop_context, aftersale_id=aftersale.pk)
    # then
    sku.refresh_from_db()
    assert sku.stock == 8


def test_return_refund_flow(shipped, sku, shop_context):
    # given
    aftersale = _open(shipped.items.get(), type=T.RETURN_REFUND, quantity=1, refund_fen=9900)
    # when
    aftersale = aftersales.aftersale_agree(context=shop_context, aftersale_id=aftersale.pk)
    assert aftersale.status == A.AWAITING_BUYER_RETURN
    aftersale = aftersales.aftersale_buyer_return(
        aftersale_id=aftersale.pk, carrier="顺丰速运", tracking_no="SF1234567890"
    )
    assert aftersale.status == A.AWAITING_MERCHANT_RECEIPT
    aftersale = aftersales.aftersale_confirm_received(
        context=shop_context, aftersale_id=aftersale.pk
    )
    # then
    sku.refresh_from_db()
    assert aftersale.status == A.SUCCEEDED and sku.stock == 9
    assert shipped.events.filter(kind=OrderEventKind.AFTERSALE).count() == 4


def test_exchange_flow(shipped, shop_context):
    aftersale = _open(shipped.items.get(), type=T.EXCHANGE, quantity=1, refund_fen=0)
    aftersales.aftersale_agree(context=shop_context, aftersale_id=aftersale.pk)
    aftersales.aftersale_buyer_return(aftersale_id=aftersale.pk, carrier="中通", tracking_no="ZT1")
    aftersale = aftersales.aftersale_confirm_received(
        context=shop_context, aftersale_id=aftersale.pk
    )
    assert aftersale.status == A.AWAITING_EXCHANGE_SHIPMENT
    aftersale = aftersales.aftersale_ship_exchange(aftersale_id=aftersale.pk)
    assert aftersale.status == A.SUCCEEDED
    assert shipped.items.get().refunded_fen == 0


def test_buyer_return_needs_carrier_and_tracking_no(shipped, shop_context):
    aftersale = _open(shipped.items.get(), type=T.RETURN_REFUND, quantity=1, refund_fen=100)
    aftersales.aftersale_agree(context=shop_context, aftersale_id=aftersale.pk)
    with pytest.raises(AfterSaleError) as caught:
        aftersales.aftersale_buyer_return(aftersale_id=aftersale.pk, carrier="", tracking_no="")
    assert set(caught.value.fields) == {"carrier", "tracking_no"}


def test_reject_needs_a_reason(paid, shop_context):
    aftersale = _open(paid.items.get())
    with pytest.raises(AfterSaleError, match="拒绝原因"):
        aftersales.aftersale_reject(context=shop_context, aftersale_id=aftersale.pk, reason=" ")


def test_buyer_withdraws(paid):
    aftersale = _open(paid.items.get())
    aftersale = aftersales.aftersale_cancel(aftersale_id=aftersale.pk)
    assert aftersale.status == A.CLOSED and aftersale.finished_at is not None


def test_return_window_closes_seven_days_after_completion(shop, sku):
    # given
    order = OrderFactory(shop=shop, lines=[(sku.pk, 1)], status=OrderStatus.COMPLETED)
    Order.objects.filter(pk=order.pk).update(completed_at=timezone.now() - timedelta(days=8))
    # when / then
    with pytest.raises(AfterSaleError, match="7 天"):
        _open(order.items.get(), type=T.RETURN_REFUND)


def test_return_within_the_window_is_accepted(shop, sku):
    order = OrderFactory(shop=shop, lines=[(sku.pk, 1)], status=OrderStatus.COMPLETED)
    Order.objects.filter(pk=order.pk).update(completed_at=timezone.now() - timedelta(days=6))
    assert _open(order.items.get(), type=T.RETURN_REFUND).status == A.AWAITING_MERCHANT


def test_no_aftersale_on_an_unpaid_order(shop, sku):
    order = OrderFactory(shop=shop, lines=[(sku.pk, 1)], status=OrderStatus.UNPAID)
    with pytest.raises(AfterSaleError, match="待支付"):
        _open(order.items.get())


def test_handling_needs_the_permission(paid, make_member, context_for, shop):
    warehouse = context_for(make_member(Role.WAREHOUSE, shop=shop))
    aftersale = _open(paid.items.get())
    with pytest.raises(PermissionRefused):
        aftersales.aftersale_agree(context=warehouse, aftersale_id=aftersale.pk)


def test_another_shops_aftersale_is_404(shop_context, other_owner):
    foreign = OrderFactory(shop=other_owner.shop)
    aftersale = _open(foreign.items.get())
    with pytest.raises(Http404):
        aftersales.aftersale_agree(context=shop_context, aftersale_id=aftersale.pk)
    aftersale.refresh_from_db()
    assert aftersale.status == A.AWAITING_MERCHANT
