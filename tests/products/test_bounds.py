"""Numbers beyond what a column holds, and NUL bytes, are refused naming the field,
in the API, the console and imports, and nothing is written (issue 9)."""

import pytest

from core.bounds import MAX_STOCK
from products import imports, services
from products.exceptions import StockError
from products.factories import ProductFactory
from products.models import Product, StockMove

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(shop_api, owner):
    return shop_api(owner)


@pytest.fixture
def sku(owner):
    return ProductFactory(shop=owner.shop).skus.get()


def test_api_stock_adjust_beyond_the_column_is_a_400_naming_delta(api, sku):
    # when
    response = api.post(
        f"/api/v1/skus/{sku.pk}/stock-adjust/",
        {"delta": 17179869184, "note": "盘点"},
        format="json",
    )
    # then
    assert response.status_code == 400
    assert "delta" in response.json()["fields"]
    assert not StockMove.objects.filter(sku=sku).exists()


def test_console_stock_adjust_beyond_the_column_is_a_form_error(client, owner, sku):
    # given
    client.force_login(owner.user)
    # when
    response = client.post(
        f"/products/skus/{sku.pk}/stock/", {"delta": "17179869184", "note": "盘点"}
    )
    # then
    assert response.status_code == 200
    assert "delta" in response.context["form"].errors
    assert not StockMove.objects.filter(sku=sku).exists()


def test_stock_pushed_past_the_limit_in_two_steps_is_refused(shop_context, sku):
    # given
    services.sku_adjust_stock(
        context=shop_context, sku_id=sku.pk, delta=MAX_STOCK - 100, note="进货"
    )
    # when
    with pytest.raises(StockError) as refused:
        services.sku_adjust_stock(context=shop_context, sku_id=sku.pk, delta=MAX_STOCK, note="进货")
    # then
    assert "delta" in refused.value.fields
    sku.refresh_from_db()
    assert sku.stock == MAX_STOCK


def test_service_refuses_a_stock_figure_beyond_the_limit(shop_context, sku):
    # when
    with pytest.raises(StockError) as refused:
        services.sku_set_stock(context=shop_context, sku_id=sku.pk, stock=99999999999)
    # then
    assert "stock" in refused.value.fields


def test_api_price_beyond_the_limit_is_a_400_naming_the_field(api, sku):
    # when
    response = api.patch(f"/api/v1/skus/{sku.pk}/", {"price_fen": 1_500_000_000}, format="json")
    # then
    assert response.status_code == 400
    assert "price_fen" in response.json()["fields"]


def test_import_stock_beyond_the_limit_names_the_row_and_column(shop_context):
    # given
    content = "商品名称,类目,规格,价格,库存\n大号库存,服饰内衣/女装,,10,99999999999\n".encode()
    # when
    preview = imports.import_preview(context=shop_context, content=content, filename="a.csv")
    # then
    assert [e.number for e in preview.errors] == [2]
    assert "库存" in " ".join(preview.errors[0].messages)
    assert not Product.objects.filter(title="大号库存").exists()


def test_import_cell_with_a_nul_is_refused_naming_the_row(shop_context):
    # given
    content = "商品名称,类目,规格,价格,库存\n坏\x00标题,服饰内衣/女装,,10,1\n".encode()
    # when
    preview = None
    try:
        preview = imports.import_preview(context=shop_context, content=content, filename="a.csv")
    except imports.ImportRejected as exc:
        message = str(exc.message)
    else:
        message = " ".join(m for e in preview.errors for m in e.messages)
    # then
    assert "NUL" in message or "空字符" in message
    assert not Product.objects.exists()


def test_nul_in_an_api_text_field_is_a_400_naming_it(api, sku):
    # when
    response = api.post(
        f"/api/v1/skus/{sku.pk}/stock-adjust/", {"delta": 1, "note": "盘\x00点"}, format="json"
    )
    # then
    assert response.status_code == 400
    assert "note" in response.json()["fields"]
    assert not StockMove.objects.filter(sku=sku).exists()


def test_nul_in_a_console_query_is_a_400_not_a_500(client, owner):
    # given
    client.force_login(owner.user)
    # when
    response = client.get("/products/", {"q": "T恤\x00"})
    # then
    assert response.status_code == 400
    assert "q" in response.content.decode()
