"""The one shipping service and the ways to ship: whole and partial orders, 合并发货,
refusals (status, open after-sale, owed quantities, numbers, carriers, permissions),
duplicate-number warnings, the exchange parcel of a 换货."""

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from core.exceptions import PermissionRefused
from logistics import services
from logistics.exceptions import ShipRequestInvalid
from logistics.models import Shipment, ShipmentLine
from logistics.services import ShipRequest, shipments_create
from orders import aftersales
from orders.exceptions import ShipmentRefused
from orders.factories import RECEIVER
from orders.models import AfterSaleStatus, AfterSaleType, OrderStatus

from .shipping_support import lines_of, open_aftersale, ship

pytestmark = pytest.mark.django_db

OTHER_ADDRESS = {**RECEIVER, "detail": "文三路 200 号 1 幢 101 室"}


def test_ships_a_whole_order_in_one_parcel(shop_context, sf, number, make_order):
    # given
    order = make_order(2, 1)
    # when
    outcome = ship(shop_context, sf, number(), lines_of(order))
    # then
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    (shipment,) = outcome.shipments
    assert (
        shipment.shop == shop_context.shop and shipment.shipped_by == shop_context.membership.user
    )
    assert sorted(shipment.lines.values_list("quantity", flat=True)) == [1, 2]
    assert outcome.warnings == []


def test_partial_then_full_shipment(shop_context, sf, number, make_order):
    # given: 3 units of one item
    order = make_order(3)
    item = order.items.get()
    # when: 1 now
    services.order_ship(
        context=shop_context,
        order_id=order.pk,
        carrier=sf,
        tracking_no=number(),
        quantities={item.pk: 1},
    )
    # then
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTIALLY_SHIPPED
    # when: the rest later, in a second parcel
    services.order_ship(context=shop_context, order_id=order.pk, carrier=sf, tracking_no=number())
    # then
    order.refresh_from_db()
    item.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    assert item.shipped_quantity == 3
    assert Shipment.objects.filter(lines__order=order).count() == 2


def test_tracking_number_is_normalised(shop_context, sf, make_order):
    # given
    order = make_order(1)
    # when: typed in lower case with spaces
    outcome = ship(shop_context, sf, " sf 1234 5678 90123 ", lines_of(order))
    # then
    assert outcome.shipments[0].tracking_no == "SF1234567890123"


def test_merged_parcel_across_orders_of_one_receiver(shop_context, sf, number, make_order):
    # given: two orders to the same receiver
    first, second = make_order(1), make_order(2)
    # when
    outcome = services.orders_merge_ship(
        context=shop_context, order_ids=[first.pk, second.pk], carrier=sf, tracking_no=number()
    )
    # then: one parcel carrying both
    (shipment,) = outcome.shipments
    assert set(shipment.lines.values_list("order_id", flat=True)) == {first.pk, second.pk}
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == OrderStatus.SHIPPED


def test_merge_refused_for_a_different_address(shop_context, sf, number, make_order):
    # given
    first, second = make_order(1), make_order(1, receiver=OTHER_ADDRESS)
    # when
    with pytest.raises(ShipRequestInvalid) as caught:
        services.orders_merge_ship(
            context=shop_context, order_ids=[first.pk, second.pk], carrier=sf, tracking_no=number()
        )
    # then
    assert first.order_no in str(caught.value.message)
    assert "不能合并" in str(caught.value.message)
    assert not Shipment.objects.exists()


def test_merge_refused_when_an_order_has_an_open_refund(shop_context, sf, number, make_order):
    # given
    first, second = make_order(1), make_order(1)
    aftersale = open_aftersale(second.items.get())
    # when
    with pytest.raises(ShipRequestInvalid) as caught:
        services.orders_merge_ship(
            context=shop_context, order_ids=[first.pk, second.pk], carrier=sf, tracking_no=number()
        )
    # then
    assert aftersale.aftersale_no in str(caught.value.message)
    assert not Shipment.objects.exists()


def test_refuses_an_item_with_an_open_refund_naming_it(shop_context, sf, number, make_order):
    # given
    order = make_order(1)
    aftersale = open_aftersale(order.items.get())
    # when
    with pytest.raises(ShipmentRefused) as caught:
        ship(shop_context, sf, number(), lines_of(order))
    # then: nothing half-written
    assert aftersale.aftersale_no in str(caught.value.message)
    assert not Shipment.objects.exists() and not ShipmentLine.objects.exists()


def test_refuses_a_cancelled_order(shop_context, sf, number, make_order):
    # given
    order = make_order(1, status=OrderStatus.CANCELLED)
    # when
    with pytest.raises(ShipmentRefused) as caught:
        ship(shop_context, sf, number(), [(order.items.get().pk, 1)])
    # then
    assert "已取消" in str(caught.value.message)
    assert not Shipment.objects.exists()


def test_refuses_more_than_is_owed(shop_context, sf, number, make_order):
    # given
    order = make_order(2)
    # when
    with pytest.raises(ShipmentRefused) as caught:
        ship(shop_context, sf, number(), [(order.items.get().pk, 3)])
    # then
    assert "待发货 2 件" in str(caught.value.message)


def test_refuses_a_quantity_below_one(shop_context, sf, number, make_order):
    # given
    order = make_order(2)
    # when
    with pytest.raises(ShipRequestInvalid) as caught:
        ship(shop_context, sf, number(), [(order.items.get().pk, 0)])
    # then
    assert "quantity" in caught.value.fields


def test_refuses_a_tracking_number_of_the_wrong_form(shop_context, sf, make_order):
    # given
    order = make_order(1)
    # when
    with pytest.raises(ShipRequestInvalid) as caught:
        ship(shop_context, sf, "YT1234567890123", lines_of(order))
    # then: the carrier and the expected form are named
    message = str(caught.value.message)
    assert "顺丰速运" in message and "SF1234567890123" in message
    assert "tracking_no" in caught.value.fields


def test_refuses_an_inactive_carrier(shop_context, sf, number, make_order):
    # given
    order = make_order(1)
    sf.is_active = False
    sf.save()
    # when / then
    with pytest.raises(ShipRequestInvalid, match="停用"):
        ship(shop_context, sf, number(), lines_of(order))


def test_another_shops_item_is_not_found(shop_context, sf, number, make_order, other_owner):
    # given: an order of another shop
    foreign = make_order(1, shop=other_owner.shop)
    # when / then
    with pytest.raises(Http404):
        ship(shop_context, sf, number(), lines_of(foreign))
    assert not Shipment.objects.exists()


def test_a_role_without_the_ship_permission_is_refused(
    sf, number, make_order, shop, make_member, context_for
):
    # given: customer service of the shop
    service = context_for(make_member("service", shop=shop))
    order = make_order(1)
    # when / then
    with pytest.raises(PermissionRefused):
        ship(service, sf, number(), lines_of(order))


def test_warehouse_may_ship(sf, number, make_order, shop, make_member, context_for):
    # given
    warehouse = context_for(make_member("warehouse", shop=shop))
    order = make_order(1)
    # when
    outcome = ship(warehouse, sf, number(), lines_of(order))
    # then
    assert outcome.shipments[0].shipped_by == warehouse.membership.user


def test_refuses_nothing_to_ship(shop_context):
    # when / then
    with pytest.raises(ShipRequestInvalid):
        shipments_create(context=shop_context, requests=[])


def test_one_bad_request_refuses_the_whole_call(shop_context, sf, number, make_order):
    # given: a good parcel and one for more than is owed
    good, bad = make_order(1), make_order(1, receiver=OTHER_ADDRESS)
    requests = [
        ShipRequest(sf, number(), lines_of(good)),
        ShipRequest(sf, number(), [(bad.items.get().pk, 5)]),
    ]
    # when
    with pytest.raises(ShipmentRefused):
        shipments_create(context=shop_context, requests=requests)
    # then: all or none
    good.refresh_from_db()
    assert good.status == OrderStatus.AWAITING_SHIPMENT
    assert not Shipment.objects.exists()


def test_same_tracking_number_for_another_receiver_warns(shop_context, sf, make_order):
    # given: a parcel to one receiver
    first = make_order(1)
    ship(shop_context, sf, "SF1000000000001", lines_of(first))
    # when: the same number to another receiver
    second = make_order(1, receiver=OTHER_ADDRESS)
    outcome = ship(shop_context, sf, "SF1000000000001", lines_of(second))
    # then: shipped, with a warning naming the other order
    assert len(outcome.shipments) == 1
    (warning,) = outcome.warnings
    assert "SF1000000000001" in warning and first.order_no in warning


def test_same_tracking_number_for_the_same_receiver_does_not_warn(shop_context, sf, make_order):
    # given
    ship(shop_context, sf, "SF1000000000002", lines_of(make_order(1)))
    # when
    outcome = ship(shop_context, sf, "SF1000000000002", lines_of(make_order(1)))
    # then
    assert outcome.warnings == []


def test_shipping_many_parcels_costs_the_same_queries_as_few(shop_context, sf, number, make_order):
    # given
    few = [make_order(1, receiver={**RECEIVER, "detail": f"{n} 号"}) for n in range(2)]
    many = [make_order(1, receiver={**RECEIVER, "detail": f"{n} 号"}) for n in range(2, 12)]
    assert shop_context.membership.user  # loaded once, before counting

    def ship(orders):
        requests = [ShipRequest(sf, number(), lines_of(o)) for o in orders]
        with CaptureQueriesContext(connection) as queries:
            shipments_create(context=shop_context, requests=requests)
        return len(queries)

    # when / then: no query per parcel
    assert ship(many) == ship(few)


# --- exchange ------------------------------------------------------------------------------


def test_exchange_parcel_goes_through_the_same_service(shop_context, sf, number, make_order):
    # given: a shipped order whose exchange waits for the merchant to ship
    order = make_order(1, status=OrderStatus.SHIPPED)
    item = order.items.get()
    aftersale = open_aftersale(item, type=AfterSaleType.EXCHANGE)
    aftersales.aftersale_agree(context=shop_context, aftersale_id=aftersale.pk)
    aftersales.aftersale_buyer_return(
        aftersale_id=aftersale.pk, carrier="中通", tracking_no="75000000000001"
    )
    aftersales.aftersale_confirm_received(context=shop_context, aftersale_id=aftersale.pk)
    # when
    outcome = services.aftersale_ship(
        context=shop_context, aftersale_id=aftersale.pk, carrier=sf, tracking_no=number()
    )
    # then: the parcel belongs to the after-sale, which succeeds; the order's quantities stay
    (shipment,) = outcome.shipments
    assert shipment.aftersale_id == aftersale.pk
    aftersale.refresh_from_db()
    item.refresh_from_db()
    assert aftersale.status == AfterSaleStatus.SUCCEEDED
    assert item.shipped_quantity == 1


def test_exchange_refused_before_the_goods_came_back(shop_context, sf, number, make_order):
    # given: an exchange still waiting for the merchant to agree
    order = make_order(1, status=OrderStatus.SHIPPED)
    aftersale = open_aftersale(order.items.get(), type=AfterSaleType.EXCHANGE)
    # when / then
    with pytest.raises(ShipRequestInvalid, match="不是待商家发货"):
        services.aftersale_ship(
            context=shop_context, aftersale_id=aftersale.pk, carrier=sf, tracking_no=number()
        )
