"""限购, caps on open unpaid orders and the checkout rate limit (orders.limits): one
buyer cannot hold a product's stock with unpaid orders."""

import pytest
from django.urls import reverse

from orders.exceptions import CheckoutLimited
from orders.factories import BUYER, RECEIVER
from orders.limits import Client
from orders.models import Order, OrderStatus
from orders.services import order_cancel, order_place
from products.factories import ProductFactory, SkuFactory

from ..concurrency import refused, run_together
from .checkout_support import RECEIVER_FORM

pytestmark = pytest.mark.django_db


def _sku(shop, stock=150, **limits):
    product = ProductFactory(shop=shop, title="限量球鞋", sku=None, **limits)
    return SkuFactory(product=product, price_fen=100, stock=stock)


# --- 限购 in order_place ----------------------------------------------------------------


def test_more_than_the_per_order_limit_is_refused(place, shop):
    # given
    sku = _sku(shop, limit_per_order=5)
    # when
    with pytest.raises(CheckoutLimited) as caught:
        place([(sku.pk, 6)])
    # then
    assert caught.value.message == "「限量球鞋」每单限购 5 件，本单 6 件。"
    assert caught.value.fields == {"quantity": [caught.value.message]}
    sku.refresh_from_db()
    assert sku.stock == 150 and not Order.objects.exists()


def test_per_order_limit_counts_every_sku_of_the_product(place, shop):
    # given: two SKUs of one product limited to 5 per order
    sku = _sku(shop, limit_per_order=5)
    other = SkuFactory(product=sku.product, spec_text="颜色:黑", price_fen=100, stock=10)
    # when / then
    with pytest.raises(CheckoutLimited, match="每单限购 5 件，本单 6 件"):
        place([(sku.pk, 3), (other.pk, 3)])


def test_99_then_51_units_for_one_phone_is_refused_by_the_per_buyer_limit(place, shop):
    # given: the probe's scenario, once the merchant sets 每人限购 100
    sku = _sku(shop, stock=150, limit_per_buyer=100)
    place([(sku.pk, 99)])
    # when
    with pytest.raises(CheckoutLimited) as caught:
        place([(sku.pk, 51)])
    # then
    assert caught.value.message == (
        "「限量球鞋」每人限购 100 件：该手机号已买或待支付 99 件，本单最多还能买 1 件。"
    )
    sku.refresh_from_db()
    assert sku.stock == 51
    assert Order.objects.count() == 1


def test_per_buyer_limit_counts_paid_orders_but_not_cancelled_ones(place, shop):
    # given
    sku = _sku(shop, limit_per_buyer=10)
    first = place([(sku.pk, 8)])
    order_cancel(order_id=first.pk, reason="买家取消", actor_label="买家")
    # when
    second = place([(sku.pk, 10)])
    # then
    assert second.status == OrderStatus.UNPAID
    with pytest.raises(CheckoutLimited, match="已买或待支付 10 件"):
        place([(sku.pk, 1)])


def test_per_buyer_limit_is_per_phone(place, shop):
    # given
    sku = _sku(shop, limit_per_buyer=10)
    place([(sku.pk, 10)])
    # when
    order = place([(sku.pk, 10)], receiver={**RECEIVER, "phone": "13700002222"})
    # then
    assert order.items.get().quantity == 10


@pytest.mark.django_db(transaction=True)
def test_one_phone_racing_two_orders_past_the_per_buyer_limit_gets_one():
    # given
    sku = _sku(ProductFactory().shop, stock=150, limit_per_buyer=100)

    def buy():
        order_place(shop=sku.shop, lines=[(sku.pk, 60)], receiver=RECEIVER, buyer=BUYER)

    # when
    outcomes = run_together([buy, buy])
    # then
    assert outcomes.count(None) == 1 and refused(outcomes, CheckoutLimited) == 1
    sku.refresh_from_db()
    assert sku.stock == 90


# --- caps on open unpaid orders (buyer checkouts) ----------------------------------------


def test_unpaid_orders_per_phone_are_capped(place, shop, settings):
    # given
    settings.CHECKOUT_MAX_UNPAID_PER_PHONE = 2
    sku = _sku(shop)
    for n in range(2):
        place([(sku.pk, 1)], client=Client(session_id=f"s{n}", ip=f"10.0.0.{n}"))
    # when
    with pytest.raises(CheckoutLimited) as caught:
        place([(sku.pk, 1)], client=Client(session_id="fresh", ip="10.0.0.9"))
    # then
    assert "该手机号在本店已有 2 个待支付订单" in caught.value.message
    assert list(caught.value.fields) == ["receiver_phone"]
    assert Order.objects.count() == 2


def test_unpaid_orders_per_client_ip_are_capped_whatever_the_phone(place, shop, settings):
    # given: fresh sessions and fresh phones, one address
    settings.CHECKOUT_MAX_UNPAID_PER_CLIENT = 3
    sku = _sku(shop)
    for n in range(3):
        place(
            [(sku.pk, 1)],
            receiver={**RECEIVER, "phone": f"1370000000{n}"},
            client=Client(session_id=f"s{n}", ip="10.1.1.1"),
        )
    # when / then
    with pytest.raises(CheckoutLimited, match="你在本店已有 3 个待支付订单"):
        place(
            [(sku.pk, 1)],
            receiver={**RECEIVER, "phone": "13700000009"},
            client=Client(session_id="fresh", ip="10.1.1.1"),
        )


def test_paying_frees_a_place_under_the_unpaid_cap(place, shop, settings):
    # given
    settings.CHECKOUT_MAX_UNPAID_PER_PHONE = 1
    sku = _sku(shop)
    client = Client(session_id="s", ip="10.0.0.1")
    first = place([(sku.pk, 1)], client=client)
    Order.objects.filter(pk=first.pk).update(status=OrderStatus.PAID)
    # when
    second = place([(sku.pk, 1)], client=client)
    # then
    assert second.buyer_ip == "10.0.0.1"


def test_integrations_without_a_client_are_not_capped(place, shop, settings):
    # given: a merchant's integration places orders for one phone (API, no client)
    settings.CHECKOUT_MAX_UNPAID_PER_PHONE = 1
    sku = _sku(shop)
    # when
    orders = [place([(sku.pk, 1)]) for _ in range(3)]
    # then
    assert len(orders) == 3


# --- the buyer's checkout page -------------------------------------------------------------


def _checkout(client, sku, quantity, phone="13900001111", **extra):
    return client.post(
        reverse("buyer:checkout", args=[sku.product.pk]),
        {**RECEIVER_FORM, "receiver_phone": phone, "sku": sku.pk, "quantity": quantity},
        **extra,
    )


def test_checkout_page_refuses_the_second_hoarding_order_even_from_a_fresh_session(client, shop):
    # given: 每人限购 100, 99 units already held unpaid
    sku = _sku(shop, stock=150, limit_per_buyer=100)
    assert _checkout(client, sku, 99).status_code == 302
    client.cookies.clear()  # a fresh session
    # when
    response = _checkout(client, sku, 51)
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "每人限购 100 件" in html and "本单最多还能买 1 件" in html
    sku.refresh_from_db()
    assert sku.stock == 51 and Order.objects.count() == 1


def test_checkout_page_caps_unpaid_orders_of_one_client(client, shop, settings):
    # given: fresh session and phone each time, one address
    settings.CHECKOUT_MAX_UNPAID_PER_CLIENT = 2
    sku = _sku(shop)
    for n in range(2):
        client.cookies.clear()
        response = _checkout(client, sku, 1, phone=f"1370000000{n}", REMOTE_ADDR="10.9.9.9")
        assert response.status_code == 302
    client.cookies.clear()
    # when
    response = _checkout(client, sku, 1, phone="13700000009", REMOTE_ADDR="10.9.9.9")
    # then
    assert "你在本店已有 2 个待支付订单" in response.content.decode()
    assert Order.objects.count() == 2


def test_checkout_attempts_are_rate_limited_per_client(client, shop, settings):
    # given
    settings.CHECKOUT_RATE_LIMIT = 3
    settings.CHECKOUT_MAX_UNPAID_PER_PHONE = 10
    settings.CHECKOUT_MAX_UNPAID_PER_CLIENT = 10
    sku = _sku(shop)
    for _ in range(3):
        client.cookies.clear()
        _checkout(client, sku, 1, REMOTE_ADDR="10.8.8.8")
    client.cookies.clear()
    # when
    response = _checkout(client, sku, 1, REMOTE_ADDR="10.8.8.8")
    # then
    html = response.content.decode()
    assert "下单太频繁：每 10 分钟最多提交 3 次" in html
    assert Order.objects.count() == 3


def test_rate_limit_is_per_client(client, shop, settings):
    # given: another address used up its attempts
    settings.CHECKOUT_RATE_LIMIT = 1
    sku = _sku(shop)
    _checkout(client, sku, 1, REMOTE_ADDR="10.7.7.7")
    client.cookies.clear()
    # when
    response = _checkout(client, sku, 1, REMOTE_ADDR="10.7.7.8")
    # then
    assert response.status_code == 302
