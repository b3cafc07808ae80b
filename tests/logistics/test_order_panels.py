"""Logistics' panels on orders' pages (logistics.order_panels through orders.panels):
what shows when, the same rule the shipping services refuse by, and a fixed query cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.exceptions import DomainError
from logistics import services
from logistics.factories import ShipmentFactory
from orders import aftersales, rules
from orders.buyer_views import order_link
from orders.models import AfterSale, AfterSaleStatus, AfterSaleType, OrderStatus
from shops.roles import Role

pytestmark = pytest.mark.django_db

A = AfterSaleStatus
T = AfterSaleType


@pytest.fixture
def logged_in(client, owner):
    client.force_login(owner.user)
    return client


def _detail_queries(client, order) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("orders:detail", args=[order.pk]))
    assert response.status_code == 200
    return len(queries)


def test_order_detail_costs_the_same_queries_with_more_parcels(logged_in, make_order, shop_context):
    # given: one order with one parcel, another with three
    one, three = make_order(1), make_order(1, 1, 1)
    ShipmentFactory(order=one, context=shop_context)
    for item in three.items.all():
        ShipmentFactory(order=three, context=shop_context, quantities={item.pk: 1})
    # when
    costs = (_detail_queries(logged_in, one), _detail_queries(logged_in, three))
    # then
    assert costs[0] == costs[1]


def test_order_detail_shows_the_ship_button_and_form_while_something_may_ship(
    logged_in, make_order
):
    # given
    order = make_order(1)
    # when
    html = logged_in.get(reverse("orders:detail", args=[order.pk])).content.decode()
    # then
    assert 'data-testid="ship-open"' in html
    assert 'data-testid="ship-form"' in html
    assert 'data-testid="parcels"' in html


def test_no_ship_button_while_the_only_item_has_an_open_aftersale(logged_in, make_order):
    # given: the one item has a refund request open (shipping it would be refused)
    order = make_order(1)
    item = order.items.get()
    aftersales.aftersale_open(
        item_id=item.pk, type=T.UNSHIPPED_REFUND_ONLY, quantity=1, refund_fen=100, reason="x"
    )
    # when
    html = logged_in.get(reverse("orders:detail", args=[order.pk])).content.decode()
    # then: the parcels panel stays, nothing offers to ship
    assert 'data-testid="ship-open"' not in html
    assert 'data-testid="ship-form"' not in html
    assert 'data-testid="parcels"' in html


def test_a_role_that_may_not_ship_sees_no_ship_form(client, make_order, make_member, shop):
    # given
    order = make_order(1)
    client.force_login(make_member(Role.SERVICE, shop).user)
    # when
    html = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    # then
    assert 'data-testid="ship-form"' not in html
    assert 'data-testid="bulk-ship"' not in client.get(reverse("orders:list")).content.decode()


def test_the_order_list_offers_batch_shipping_to_who_may_ship(logged_in):
    # when
    html = logged_in.get(reverse("orders:list")).content.decode()
    # then
    assert 'data-testid="bulk-ship"' in html


@pytest.fixture
def exchange(make_order):
    """exchange(status) -> a 换货 after-sale on a shipped order, put in `status`."""

    def make(status, type=T.EXCHANGE):
        order = make_order(1, status=OrderStatus.SHIPPED)
        aftersale = aftersales.aftersale_open(
            item_id=order.items.get().pk,
            type=type,
            quantity=1,
            refund_fen=0 if type == T.EXCHANGE else 100,
            reason="尺码不合适",
        )
        AfterSale.objects.filter(pk=aftersale.pk).update(status=status)
        return AfterSale.objects.get(pk=aftersale.pk)

    return make


@pytest.mark.parametrize("type", [T.EXCHANGE, T.RETURN_REFUND])
@pytest.mark.parametrize("status", A.values)
def test_can_ship_exchange_is_the_exchange_parcels_guard(
    exchange, shop_context, sf, number, status, type
):
    # given
    aftersale = exchange(status, type)
    # when
    allowed = rules.can_ship_exchange(aftersale)
    try:
        services.aftersale_ship(
            context=shop_context, aftersale_id=aftersale.pk, carrier=sf, tracking_no=number()
        )
        shipped = True
    except DomainError:
        shipped = False
    # then
    assert allowed == (type == T.EXCHANGE and status == A.AWAITING_EXCHANGE_SHIPMENT)
    assert shipped == allowed


def test_aftersale_detail_shows_the_exchange_form_when_waiting_to_ship(logged_in, exchange):
    # given
    aftersale = exchange(A.AWAITING_EXCHANGE_SHIPMENT)
    # when
    html = logged_in.get(reverse("aftersales:detail", args=[aftersale.pk])).content.decode()
    # then: the form, and no "nothing to do" beside it
    assert 'data-testid="exchange-ship-form"' in html
    assert "当前状态无需商家操作" not in html


def test_aftersale_detail_shows_no_exchange_form_before_the_goods_are_back(logged_in, exchange):
    # given
    aftersale = exchange(A.AWAITING_BUYER_RETURN)
    # when
    html = logged_in.get(reverse("aftersales:detail", args=[aftersale.pk])).content.decode()
    # then
    assert 'data-testid="exchange-ship-form"' not in html
    assert "当前状态无需商家操作" in html


def test_buyer_page_costs_the_same_queries_with_more_parcels(client, make_order, shop_context):
    # given
    one, three = make_order(1), make_order(1, 1, 1)
    ShipmentFactory(order=one, context=shop_context)
    for item in three.items.all():
        ShipmentFactory(order=three, context=shop_context, quantities={item.pk: 1})
    # when
    costs = []
    for order in (one, three):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(order_link(order)).content.decode()
        costs.append(len(queries))
        # then
        assert 'id="parcels"' in html
    assert costs[0] == costs[1]
