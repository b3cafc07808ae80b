"""A (carrier, tracking number) is one parcel on the whole platform: another shop
cannot ship with it, two shops racing for it get one winner, and a tracking push
updates that one parcel."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from logistics import services
from logistics.batch.services import ship_batch_preview
from logistics.exceptions import CorrectionRefused, ShipRequestInvalid
from logistics.factories import ParcelFactory, ShipmentLineFactory, carrier, tracking_no_for
from logistics.models import ParcelNumber, ShipBatchRowResult, Shipment, TrackingEvent
from orders.factories import BUYER, RECEIVER, OrderFactory
from orders.models import Order, OrderStatus
from products.factories import ProductFactory, SkuFactory
from shops.tenancy import resolve_context
from tests.logistics.batch_support import csv_bytes, upload

pytestmark = pytest.mark.django_db


def _order(shop, receiver=None):
    product = ProductFactory(shop=shop, sku=None)
    return OrderFactory(
        shop=shop,
        lines=[(SkuFactory(product=product, stock=5).pk, 1)],
        receiver=dict(receiver or RECEIVER),
        buyer=dict(BUYER),
        status=OrderStatus.AWAITING_SHIPMENT,
    )


@pytest.fixture
def other_ctx(other_owner, context_for):
    return context_for(other_owner)


def test_another_shop_cannot_ship_with_a_number_in_use(
    shop_context, other_ctx, other_owner, sf, number
):
    # given: shop A shipped a parcel with SF number X
    mine = _order(shop_context.shop, receiver={**RECEIVER, "name": "甲店买家"})
    taken = number()
    services.order_ship(context=shop_context, order_id=mine.pk, carrier=sf, tracking_no=taken)
    theirs = _order(other_owner.shop)
    # when
    with pytest.raises(ShipRequestInvalid) as caught:
        services.order_ship(context=other_ctx, order_id=theirs.pk, carrier=sf, tracking_no=taken)
    # then: refused, neutral (nothing about shop A), nothing written for shop B
    message = str(caught.value.message)
    assert taken in message and "已被使用" in message
    for secret in (shop_context.shop.name, mine.order_no, "甲店买家", RECEIVER["phone"]):
        assert secret not in message
    assert caught.value.fields == {"tracking_no": [message]}
    assert not Shipment.objects.filter(shop=other_owner.shop).exists()
    assert Order.objects.get(pk=theirs.pk).status == OrderStatus.AWAITING_SHIPMENT


def test_same_shop_may_reuse_its_number_for_another_order(shop_context, sf, number):
    # given
    first, second = (
        _order(shop_context.shop),
        _order(shop_context.shop, receiver={**RECEIVER, "name": "王五"}),
    )
    shared = number()
    services.order_ship(context=shop_context, order_id=first.pk, carrier=sf, tracking_no=shared)
    # when
    outcome = services.order_ship(
        context=shop_context, order_id=second.pk, carrier=sf, tracking_no=shared
    )
    # then: shipped, with the existing warning about another receiver
    assert outcome.shipments[0].tracking_no == shared
    assert any("其他收件人" in str(w) for w in outcome.warnings)
    assert ParcelNumber.objects.get(tracking_no=shared).shop_id == shop_context.shop.pk


def test_the_same_digits_with_another_carrier_are_another_parcel(
    shop_context, other_ctx, other_owner, zto
):
    # given: the same digits, first with 中通 in shop A
    digits = tracking_no_for(zto, 1)
    services.order_ship(
        context=shop_context, order_id=_order(shop_context.shop).pk, carrier=zto, tracking_no=digits
    )
    yunda = carrier("yunda")
    # when: shop B ships with 韵达 and the same digits
    outcome = services.order_ship(
        context=other_ctx, order_id=_order(other_owner.shop).pk, carrier=yunda, tracking_no=digits
    )
    # then
    assert outcome.shipments[0].shop_id == other_owner.shop.pk


def test_correcting_a_typo_frees_the_mistyped_number(
    shop_context, other_ctx, other_owner, sf, number
):
    # given: shop A typed X by mistake, then corrected it to Y
    typo, right = number(), number()
    outcome = services.order_ship(
        context=shop_context, order_id=_order(shop_context.shop).pk, carrier=sf, tracking_no=typo
    )
    services.shipment_correct_tracking(
        context=shop_context, shipment_id=outcome.shipments[0].pk, carrier=sf, tracking_no=right
    )
    # when: shop B ships its real parcel X
    theirs = services.order_ship(
        context=other_ctx, order_id=_order(other_owner.shop).pk, carrier=sf, tracking_no=typo
    )
    # then
    assert theirs.shipments[0].tracking_no == typo
    assert ParcelNumber.objects.get(tracking_no=right).shop_id == shop_context.shop.pk


def test_correcting_to_another_shops_number_is_refused(
    shop_context, other_ctx, other_owner, sf, number
):
    # given
    theirs = number()
    services.order_ship(
        context=other_ctx, order_id=_order(other_owner.shop).pk, carrier=sf, tracking_no=theirs
    )
    mine = services.order_ship(
        context=shop_context,
        order_id=_order(shop_context.shop).pk,
        carrier=sf,
        tracking_no=number(),
    ).shipments[0]
    # when
    with pytest.raises(CorrectionRefused) as caught:
        services.shipment_correct_tracking(
            context=shop_context, shipment_id=mine.pk, carrier=sf, tracking_no=theirs
        )
    # then
    assert "已被使用" in str(caught.value.message)
    mine.refresh_from_db()
    assert mine.tracking_no != theirs


def test_batch_preview_marks_the_row_with_another_shops_number(
    shop_context, other_ctx, other_owner, sf, number
):
    # given
    taken = number()
    services.order_ship(
        context=other_ctx, order_id=_order(other_owner.shop).pk, carrier=sf, tracking_no=taken
    )
    order = _order(shop_context.shop)
    # when
    batch = ship_batch_preview(
        context=shop_context, upload=upload(csv_bytes([[order.order_no, "顺丰", taken]]))
    )
    # then
    (row,) = batch.rows.all()
    assert row.result == ShipBatchRowResult.INVALID
    assert "已被使用" in row.text and other_owner.shop.name not in row.text


@pytest.mark.django_db(transaction=True)
def test_two_shops_racing_for_one_number_get_one_parcel(make_member, context_for):
    # given: two shops, each with an order, both typing the same SF number at once
    sf = carrier("shunfeng")
    contexts = [context_for(make_member("owner")) for _ in range(2)]
    orders = [_order(context.shop) for context in contexts]
    shared = tracking_no_for(sf, 777)
    barrier = threading.Barrier(2)
    outcomes, lock = [], threading.Lock()

    def ship(context, order):
        try:
            # a fresh context per thread: no ORM object crosses connections
            context = resolve_context(context.membership.user, requested=f"shop:{order.shop_id}")
            barrier.wait()
            services.order_ship(context=context, order_id=order.pk, carrier=sf, tracking_no=shared)
            result = "shipped"
        except ShipRequestInvalid:
            result = "refused"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [
        threading.Thread(target=ship, args=pair) for pair in zip(contexts, orders, strict=True)
    ]
    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert sorted(outcomes) == ["refused", "shipped"]
    assert Shipment.objects.filter(tracking_no=shared).count() == 1
    holder = ParcelNumber.objects.get(tracking_no=shared).shop_id
    assert Shipment.objects.get(tracking_no=shared).shop_id == holder


# --- tracking pushes -------------------------------------------------------------------


def _signed_event(status="signed"):
    return {
        "time": timezone.now().isoformat(),
        "status": status,
        "location": "杭州市",
        "description": "已签收",
    }


def test_push_updates_only_the_parcel_of_the_shop_holding_the_number(
    push, shop_context, other_owner, sf, number
):
    # given: shop A ships X; a parcel of shop B written before numbers were registered
    # carries the same number
    shared = number()
    mine = services.order_ship(
        context=shop_context, order_id=_order(shop_context.shop).pk, carrier=sf, tracking_no=shared
    ).shipments[0]
    their_order = _order(other_owner.shop)
    theirs = ParcelFactory(order=their_order, carrier=sf, tracking_no=shared)
    ShipmentLineFactory(
        shipment=theirs, order=their_order, item=their_order.items.get(), quantity=1
    )
    # when
    response = push({"carrier": "shunfeng", "tracking_no": shared, "events": [_signed_event()]})
    # then
    assert response.status_code == 200 and response.json()["shipments"] == 1
    assert list(TrackingEvent.objects.values_list("shipment_id", flat=True)) == [mine.pk]
    assert Order.objects.get(pk=their_order.pk).status == OrderStatus.AWAITING_SHIPMENT


def test_push_names_the_carrier_whose_parcel_it_updates(
    push, shop_context, other_ctx, other_owner, zto
):
    # given: the same digits at 中通 (shop A) and 韵达 (shop B)
    digits = tracking_no_for(zto, 5)
    yunda = carrier("yunda")
    services.order_ship(
        context=shop_context, order_id=_order(shop_context.shop).pk, carrier=zto, tracking_no=digits
    )
    theirs = services.order_ship(
        context=other_ctx, order_id=_order(other_owner.shop).pk, carrier=yunda, tracking_no=digits
    ).shipments[0]
    # when
    response = push({"carrier": "yunda", "tracking_no": digits, "events": [_signed_event()]})
    # then
    assert response.status_code == 200 and response.json()["shipments"] == 1
    assert list(TrackingEvent.objects.values_list("shipment_id", flat=True)) == [theirs.pk]


def test_push_without_a_carrier_is_refused_and_writes_nothing(push, shop_context, sf, number):
    # given
    shared = number()
    services.order_ship(
        context=shop_context, order_id=_order(shop_context.shop).pk, carrier=sf, tracking_no=shared
    )
    # when
    response = push({"tracking_no": shared, "events": [_signed_event()]})
    # then
    assert response.status_code == 400
    assert "carrier" in response.json()["message"]
    assert not TrackingEvent.objects.exists()
