"""限购 is set by the merchant on the product: API, import and export columns."""

import csv
import io

import pytest
from django.urls import reverse

from products import imports
from products.factories import ProductFactory, SkuFactory
from products.models import Product

pytestmark = pytest.mark.django_db

HEADER = "商品ID,商品名称,类目,规格,商家编码,价格,库存,状态,每单限购,每人限购\n"


@pytest.fixture
def api(shop_api, owner):
    return shop_api(owner)


def _confirm(context, text: str) -> dict:
    stashed = imports.stash(context=context, content=text.encode("utf-8-sig"), filename="p.csv")
    return imports.import_confirm(context=context, stashed=stashed)


def test_api_sets_and_clears_the_limits(api, owner):
    # given
    product = ProductFactory(shop=owner.shop)
    url = f"/api/v1/products/{product.pk}/"
    # when
    set_response = api.patch(url, {"limit_per_order": 2, "limit_per_buyer": 5}, format="json")
    product.refresh_from_db()
    limits_after_set = (product.limit_per_order, product.limit_per_buyer)
    api.patch(url, {"limit_per_order": None}, format="json")
    # then
    assert set_response.status_code == 200
    assert set_response.json()["limit_per_buyer"] == 5
    assert limits_after_set == (2, 5)
    product.refresh_from_db()
    assert (product.limit_per_order, product.limit_per_buyer) == (None, 5)


@pytest.mark.parametrize("value", [0, -1, 100_000])
def test_api_refuses_a_limit_out_of_range_naming_the_field(api, owner, value):
    # given
    product = ProductFactory(shop=owner.shop)
    # when
    response = api.patch(
        f"/api/v1/products/{product.pk}/", {"limit_per_buyer": value}, format="json"
    )
    # then
    assert response.status_code == 400
    assert "limit_per_buyer" in response.json()["fields"]
    product.refresh_from_db()
    assert product.limit_per_buyer is None


def test_import_sets_the_limits_and_reimport_changes_nothing(shop_context):
    # given
    text = HEADER + ",限量球鞋,服饰内衣/女装,,XL1,599.00,150,在售,2,5\n"
    # when
    first = _confirm(shop_context, text)
    second = _confirm(shop_context, text)
    # then
    product = Product.objects.get(title="限量球鞋")
    assert (product.limit_per_order, product.limit_per_buyer) == (2, 5)
    assert first["new"] == 1 and second == {"new": 0, "update": 0, "skip": 1}


def test_import_blank_limit_clears_it_and_a_file_without_the_column_keeps_it(shop_context, owner):
    # given
    product = ProductFactory(
        shop=owner.shop, title="限量球鞋", limit_per_order=3, limit_per_buyer=9
    )
    sku = product.skus.get()
    row = f"{product.pk},限量球鞋,服饰内衣/女装,,{sku.outer_code},99.00,{sku.stock},在售"
    # when: an old file without the 限购 columns, then one with 每单限购 blank
    _confirm(shop_context, "商品ID,商品名称,类目,规格,商家编码,价格,库存,状态\n" + row + "\n")
    product.refresh_from_db()
    kept = (product.limit_per_order, product.limit_per_buyer)
    _confirm(shop_context, HEADER + row + ",,9\n")
    # then
    assert kept == (3, 9)
    product.refresh_from_db()
    assert (product.limit_per_order, product.limit_per_buyer) == (None, 9)


def test_import_bad_limit_names_row_and_column(shop_context):
    # given
    text = HEADER + ",限量球鞋,服饰内衣/女装,,XL1,599.00,150,在售,两件,\n"
    # when
    preview = imports.import_preview(
        context=shop_context, content=text.encode("utf-8-sig"), filename="p.csv"
    )
    # then
    assert not preview.ok
    (error,) = preview.errors
    assert error.number == 2
    assert any("每单限购“两件”应为 1 到 99,999 之间的整数" in m for m in error.messages)
    assert not Product.objects.filter(title="限量球鞋").exists()


def test_export_has_the_limit_columns(client, owner):
    # given
    product = ProductFactory(shop=owner.shop, title="限量球鞋", sku=None, limit_per_buyer=5)
    SkuFactory(product=product, outer_code="XL1")
    client.force_login(owner.user)
    # when
    response = client.get(reverse("products:export"))
    # then
    (row,) = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert (row["每单限购"], row["每人限购"]) == ("", "5")
