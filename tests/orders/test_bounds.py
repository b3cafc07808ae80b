"""Amounts beyond what an order's columns hold are refused naming the field, and
nothing is written (issue 9)."""

import pytest
from rest_framework.test import APIClient

from orders.exceptions import CheckoutError
from orders.factories import RECEIVER
from orders.models import Order
from products.factories import ProductFactory, SkuFactory
from products.models import StockMove

pytestmark = pytest.mark.django_db


def _body(sku, **changes):
    return {
        "lines": [{"sku_id": sku.pk, "quantity": 1}],
        "receiver": dict(RECEIVER),
        "buyer": {"id": "dy-778"},
        **changes,
    }


@pytest.fixture
def api(owner):
    client = APIClient()
    client.force_authenticate(owner.user)
    client.credentials(HTTP_X_SHOP_ID=str(owner.shop_id))
    return client


def test_api_shipping_beyond_the_limit_is_a_400_naming_it(api, sku):
    # when
    response = api.post("/api/v1/orders/", _body(sku, shipping_fen=2147483647), format="json")
    # then
    assert response.status_code == 400
    assert "shipping_fen" in response.json()["fields"]
    assert not Order.objects.exists()


def test_service_refuses_shipping_beyond_the_limit(place, sku):
    # when
    with pytest.raises(CheckoutError) as refused:
        place([(sku.pk, 1)], shipping_fen=2147483647)
    # then
    assert "shipping_fen" in refused.value.fields
    assert not Order.objects.exists()


def test_checkout_whose_total_overflows_is_refused_and_reserves_nothing(place, shop):
    # given: a ¥15,000,000 SKU (priced before the price bound existed)
    product = ProductFactory(shop=shop, title="金条", sku=None)
    sku = SkuFactory(product=product, price_fen=1_500_000_000, stock=5)
    # when
    with pytest.raises(CheckoutError) as refused:
        place([(sku.pk, 2)])
    # then
    assert "lines" in refused.value.fields
    assert "超过单笔订单上限" in str(refused.value.message)
    assert not Order.objects.exists() and not StockMove.objects.filter(sku=sku).exists()


def test_api_checkout_whose_total_overflows_is_a_400(api, shop):
    # given
    product = ProductFactory(shop=shop, title="金条", sku=None)
    sku = SkuFactory(product=product, price_fen=1_500_000_000, stock=5)
    # when
    body = _body(sku, lines=[{"sku_id": sku.pk, "quantity": 2}])
    response = api.post("/api/v1/orders/", body, format="json")
    # then
    assert response.status_code == 400
    assert "lines" in response.json()["fields"]
    assert not Order.objects.exists()
