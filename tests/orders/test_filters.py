"""The order and after-sale lists filter the same way in the console and the API (one
FilterSet each, `orders.filters.OrderFilter` / `AfterSaleFilter`)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from orders.factories import RECEIVER, OrderFactory
from orders.models import OrderStatus
from products.factories import ProductFactory, SkuFactory

from .aftersale_support import refund_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(shop):
    product = ProductFactory(shop=shop, title="羊毛围巾", sku=None)
    scarf_sku = SkuFactory(product=product, outer_code="WJ-01")
    return {
        "paid": OrderFactory(shop=shop),
        "unpaid": OrderFactory(shop=shop, status=OrderStatus.UNPAID),
        "scarf": OrderFactory(
            shop=shop,
            lines=[(scarf_sku.pk, 1)],
            receiver={**RECEIVER, "province": "广东省", "phone": "13700000000"},
        ),
    }


def _query(name, orders):
    """The query under test and the orders it should leave."""
    return {
        "to_ship": ({"tab": "to_ship"}, {"paid", "scarf"}),
        "unpaid": ({"tab": "unpaid"}, {"unpaid"}),
        "order_no": ({"order_no": orders["paid"].order_no}, {"paid"}),
        "province": ({"province": "广东省"}, {"scarf"}),
        "receiver_phone": ({"receiver_phone": "13700000000"}, {"scarf"}),
        "outer_code": ({"outer_code": "WJ-01"}, {"scarf"}),
        "product_title": ({"product_title": "围巾"}, {"scarf"}),
    }[name]


QUERIES = [
    "to_ship",
    "unpaid",
    "order_no",
    "province",
    "receiver_phone",
    "outer_code",
    "product_title",
]


def _api(owner):
    api = APIClient()
    api.force_authenticate(owner.user)
    api.credentials(HTTP_X_SHOP_ID=str(owner.shop_id))
    return api


@pytest.mark.parametrize("name", QUERIES)
def test_console_and_api_list_the_same_orders(client, owner, orders, name):
    # given
    params, expected = _query(name, orders)
    ids = {orders[key].pk for key in expected}
    client.force_login(owner.user)
    # when
    rows = client.get(reverse("orders:list"), params).context["rows"]
    body = _api(owner).get("/api/v1/orders/", params).json()
    # then
    assert {row["order"].pk for row in rows} == ids
    assert {row["id"] for row in body["results"]} == ids


def test_console_and_api_list_the_same_aftersales(client, owner, orders):
    # given
    wanted, other = (refund_request(orders[key]) for key in ("paid", "scarf"))
    params = {"tab": "pending", "order_no": orders["paid"].order_no}
    client.force_login(owner.user)
    # when
    page = client.get(reverse("aftersales:list"), params).context["page"]
    body = _api(owner).get("/api/v1/aftersales/", params).json()
    # then
    assert [a.pk for a in page.rows] == [wanted.pk]
    assert [a["id"] for a in body["results"]] == [wanted.pk]
    assert other.pk not in {a["id"] for a in body["results"]}
