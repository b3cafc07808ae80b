from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.http import Http404
from django.utils import timezone

from core.exceptions import PermissionRefused
from orders import services
from orders.attribution import Attribution
from orders.exceptions import CheckoutError, PaymentRejected, ShipmentRefused, TransitionRefused
from orders.factories import RECEIVER, OrderFactory, pay, ship
from orders.models import (
    Channel,
    OrderEvent,
    OrderEventKind,
    OrderStatus,
    PayMethod,
    RemarkFlag,
    TrafficSource,
)
from orders.shipping import order_record_shipment
from products.exceptions import OutOfStock
from products.factories import ProductFactory, SkuFactory
from products.models import ProductStatus, ShipPromise, StockMove
from shops.factories import CreatorFactory
from shops.roles import Role

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


# --- order_place ---------------------------------------------------------------------


def test_place_reserves_stock_and_snapshots_items(place, sku, shop):
    # given
    second = SkuFactory(product=sku.product, spec_text="颜色:黑;尺码:L", price_fen=5000, stock=5)
    # when
    order = place([(second.pk, 1), (sku.pk, 2)], shipping_fen=800, buyer_words="请尽快发货")
    # then
    sku.refresh_from_db()
    second.refresh_from_db()
    assert (sku.stock, second.stock) == (8, 4)
    assert order.status == OrderStatus.UNPAID
    assert (order.goods_total_fen, order.shipping_fen, order.paid_fen) == (24800, 800, 25600)
    assert len(order.order_no) == 19 and order.order_no.isdigit()
    assert order.pay_deadline - order.created_at == timedelta(minutes=shop.unpaid_cancel_minutes)
    items = list(order.items.order_by("sku_id"))
    assert [(i.product_title, i.spec_text, i.unit_price_fen, i.quantity) for i in items] == [
        ("纯棉短袖T恤", "颜色:白;尺码:L", 9900, 2),
        ("纯棉短袖T恤", "颜色:黑;尺码:L", 5000, 1),
    ]
    assert all(len(i.item_no) == 19 for i in items)
    assert OrderEvent.objects.get(order=order).to_status == OrderStatus.UNPAID


def test_place_records_the_attribution(place, sku):
    # given
    creator = CreatorFactory()
    attribution = Attribution(
        creator_id=creator.pk,
        channel=Channel.ALLIANCE,
        traffic_source=TrafficSource.VIDEO,
        video_id="v123",
    )
    # when
    order = place([(sku.pk, 1)], attribution=attribution)
    # then
    assert (order.creator, order.channel, order.traffic_source, order.video_id) == (
        creator,
        Channel.ALLIANCE,
        TrafficSource.VIDEO,
        "v123",
    )


def test_place_without_attribution_is_the_shops_own_sale(place, sku):
    order = place([(sku.pk, 1)])
    assert (order.channel, order.traffic_source, order.creator) == (
        Channel.SHOP,
        TrafficSource.OTHER,
        None,
    )


def test_place_names_each_missing_receiver_field(place, sku):
    # when
    with pytest.raises(CheckoutError) as caught:
        place([(sku.pk, 1)], receiver={"name": "", "phone": "123"})
    # then
    assert {"receiver_name", "receiver_province", "receiver_detail"} <= set(caught.value.fields)
    assert "收件人" in str(caught.value.message)
    sku.refresh_from_db()
    assert sku.stock == 10


def test_place_refuses_a_bad_phone(place, sku):
    with pytest.raises(CheckoutError, match="手机号") as caught:
        place([(sku.pk, 1)], receiver={**RECEIVER, "phone": "12345"})
    assert "receiver_phone" in caught.value.fields


def test_place_refuses_an_off_shelf_product(place, sku):
    # given
    sku.product.status = ProductStatus.OFF_SHELF
    sku.product.save()
    # when / then
    with pytest.raises(CheckoutError, match="已下架"):
        place([(sku.pk, 1)])


def test_place_refuses_another_shops_sku(place, other_owner):
    foreign = ProductFactory(shop=other_owner.shop).skus.get()
    with pytest.raises(CheckoutError, match="不属于本店"):
        place([(foreign.pk, 1)])


def test_place_refuses_more_than_in_stock_and_takes_nothing(place, sku):
    # when
    with pytest.raises(OutOfStock, match="仅剩 10 件"):
        place([(sku.pk, 11)])
    # then
    sku.refresh_from_db()
    assert sku.stock == 10 and not StockMove.objects.filter(sku=sku).exists()


# --- order_pay -----------------------------------------------------------------------


def _pay(order, **kwargs):
    fields = {
        "order_id": order.pk,
        "payment_id": "P1",
        "amount_fen": order.paid_fen,
        "pay_method": PayMethod.WECHAT,
        "provider": "test",
        "paid_at": timezone.now(),
        **kwargs,
    }
    return services.order_pay(**fields)


def test_pay_moves_the_order_to_paid(place, sku):
    # given
    order = place([(sku.pk, 1)])
    paid_at = timezone.now()
    # when
    order = _pay(order, paid_at=paid_at)
    # then
    assert order.status == OrderStatus.PAID
    assert (order.paid_at, order.pay_method) == (paid_at, PayMethod.WECHAT)
    assert order.events.filter(kind=OrderEventKind.PAYMENT).count() == 1


def test_payment_line_names_the_method_without_repeating_a_word(place, sku):
    # given
    order = place([(sku.pk, 1)])
    # when
    _pay(order, pay_method=PayMethod.DOUYIN_PAY)
    # then
    line = order.events.get(kind=OrderEventKind.PAYMENT).text
    assert "抖音支付" in line and "支付支付" not in line


def test_accept_follows_payment_on_commit(place, sku, django_capture_on_commit_callbacks):
    order = place([(sku.pk, 1)])
    with django_capture_on_commit_callbacks(execute=True):
        _pay(order)
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_SHIPMENT


def test_pay_replayed_changes_nothing(place, sku):
    # given
    order = place([(sku.pk, 1)])
    _pay(order)
    events = OrderEvent.objects.filter(order=order).count()
    # when
    again = _pay(order)
    # then
    assert again.status == OrderStatus.PAID
    assert OrderEvent.objects.filter(order=order).count() == events


def test_pay_with_the_wrong_amount_is_refused_and_logged(place, sku, caplog):
    order = place([(sku.pk, 1)])
    with pytest.raises(PaymentRejected, match="不符"):
        _pay(order, amount_fen=1)
    order.refresh_from_db()
    assert order.status == OrderStatus.UNPAID
    assert "refused: amount 1 fen" in caplog.text


def test_pay_of_a_cancelled_order_is_refused(place, sku):
    order = place([(sku.pk, 1)])
    services.order_cancel(order_id=order.pk, reason="买家取消")
    with pytest.raises(PaymentRejected, match="已取消"):
        _pay(order)


@pytest.mark.parametrize(
    ("promise", "paid_local", "expected_local"),
    [
        (ShipPromise.WITHIN_48H, "2026-03-02 10:00", "2026-03-04 10:00:00"),
        (ShipPromise.NEXT_DAY, "2026-03-02 10:00", "2026-03-03 23:59:59"),
        (ShipPromise.SAME_DAY, "2026-03-02 10:00", "2026-03-02 23:59:59"),
        (ShipPromise.SAME_DAY, "2026-03-02 17:30", "2026-03-03 23:59:59"),
    ],
)
def test_ship_deadline_is_the_strictest_promise(place, sku, promise, paid_local, expected_local):
    # given
    sku.product.ship_promise = promise
    sku.product.save()
    order = place([(sku.pk, 1)])
    paid_at = datetime.strptime(paid_local, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)
    # when
    order = _pay(order, paid_at=paid_at)
    # then
    assert timezone.localtime(order.exp_ship_time).strftime("%Y-%m-%d %H:%M:%S") == expected_local


def test_ship_deadline_follows_a_stricter_shop_setting(place, sku, shop):
    shop.ship_within_hours = 24
    shop.save()
    paid_at = timezone.now()
    order = _pay(place([(sku.pk, 1)]), paid_at=paid_at)
    assert order.exp_ship_time == paid_at + timedelta(hours=24)


# --- cancel, sign, complete ----------------------------------------------------------


def test_cancel_releases_the_stock(place, sku):
    # given
    order = place([(sku.pk, 3)])
    # when
    order = services.order_cancel(order_id=order.pk, reason="买家不想要了", actor_label="买家")
    # then
    sku.refresh_from_db()
    assert (order.status, order.cancel_reason, sku.stock) == (
        OrderStatus.CANCELLED,
        "买家不想要了",
        10,
    )
    assert order.cancelled_at is not None


def test_cancel_of_a_paid_order_is_refused(shop):
    order = OrderFactory(shop=shop)
    with pytest.raises(TransitionRefused, match="售后"):
        services.order_cancel(order_id=order.pk, reason="不要了")


def test_signing_restarts_the_auto_complete_clock(shop):
    # given
    order = OrderFactory(shop=shop, status=OrderStatus.SHIPPED)
    signed_at = timezone.now() + timedelta(days=3)
    # when
    order = services.order_mark_signed(order_id=order.pk, signed_at=signed_at)
    # then
    assert order.auto_complete_at == signed_at + timedelta(days=shop.auto_confirm_days)


def test_complete_a_shipped_order(shop):
    order = OrderFactory(shop=shop, status=OrderStatus.SHIPPED)
    order = services.order_complete(order_id=order.pk, actor_label="买家")
    assert order.status == OrderStatus.COMPLETED and order.completed_at is not None


def test_partial_then_full_shipment(shop):
    # given
    order = OrderFactory(shop=shop, status=OrderStatus.PARTIALLY_SHIPPED)
    assert order.status == OrderStatus.PARTIALLY_SHIPPED
    # when
    order = ship(order)
    # then
    assert order.status == OrderStatus.SHIPPED


def test_shipping_an_unpaid_order_is_refused(place, sku):
    order = place([(sku.pk, 1)])
    with pytest.raises(ShipmentRefused, match="不能发货"):
        order_record_shipment(order_id=order.pk, lines=[(order.items.get().pk, 1)])


# --- remark and reveal ---------------------------------------------------------------


def test_bulk_remark_and_flag(shop, shop_context):
    # given
    orders = [OrderFactory(shop=shop) for _ in range(2)]
    # when
    count = services.order_update_remark(
        context=shop_context, order_ids=[o.pk for o in orders], remark="优先发", flag=RemarkFlag.RED
    )
    # then
    assert count == 2
    for order in orders:
        order.refresh_from_db()
        assert (order.seller_remark, order.remark_flag) == ("优先发", RemarkFlag.RED)
        assert order.events.get(kind=OrderEventKind.REMARK).actor == shop_context.membership.user


def test_remark_skips_other_shops_orders(shop_context, other_owner):
    foreign = OrderFactory(shop=other_owner.shop)
    count = services.order_update_remark(context=shop_context, order_ids=[foreign.pk], remark="x")
    foreign.refresh_from_db()
    assert count == 0 and foreign.seller_remark == ""


def test_remark_needs_the_permission(shop, make_member, context_for):
    warehouse = context_for(make_member(Role.WAREHOUSE, shop=shop))
    order = OrderFactory(shop=shop)
    with pytest.raises(PermissionRefused):
        services.order_update_remark(context=warehouse, order_ids=[order.pk], remark="x")


def test_reveal_is_logged_with_who(shop, make_member, context_for):
    # given
    service = make_member(Role.SERVICE, shop=shop)
    order = OrderFactory(shop=shop)
    # when
    revealed = services.order_reveal_receiver(context=context_for(service), order_id=order.pk)
    # then
    assert revealed.receiver_phone == "13812345678"
    event = order.events.get(kind=OrderEventKind.RECEIVER_REVEAL)
    assert event.actor == service.user and event.created_at is not None


def test_reveal_needs_the_permission(shop, make_member, context_for):
    operator = context_for(make_member(Role.OPERATOR, shop=shop))
    order = OrderFactory(shop=shop)
    with pytest.raises(PermissionRefused):
        services.order_reveal_receiver(context=operator, order_id=order.pk)
    assert not order.events.filter(kind=OrderEventKind.RECEIVER_REVEAL).exists()


def test_reveal_of_another_shops_order_is_404(shop_context, other_owner):
    foreign = OrderFactory(shop=other_owner.shop)
    with pytest.raises(Http404):
        services.order_reveal_receiver(context=shop_context, order_id=foreign.pk)


def test_factory_pays_through_the_services(shop):
    order = pay(OrderFactory(shop=shop, status=OrderStatus.UNPAID))
    assert order.status == OrderStatus.AWAITING_SHIPMENT and order.payments.count() == 1
