import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from products.factories import ProductFactory, SkuFactory, leaf_category
from products.models import Product, ProductImage, ProductStatus, Sku, StockMove
from products.resources import export_file
from shops.roles import Role

pytestmark = pytest.mark.django_db


def _jpeg(size=(64, 64), fmt="JPEG", name="a.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue())


def _editor_post(title: str, colours: str, row: dict, *, publish: bool = False) -> dict:
    """What the product editor posts: the base fields, a 颜色 spec with `colours` (no spec
    when empty), and the first matrix row's cells (`row`: price, stock, outer_code)."""
    data = {
        "title": title,
        "category": leaf_category().pk,
        "description": "",
        "return_policy": 1,
        "ship_promise": 2,
        "sku-count": 1,
        "sku-0-spec_text": "颜色:红" if colours else "",
        **{f"sku-0-{name}": value for name, value in row.items()},
    }
    if colours:
        data |= {"spec_name_0": "颜色", "spec_values_0": colours}
    if publish:
        data["publish"] = "1"
    return data


def test_list_has_a_query_budget_whatever_the_page_size(
    as_member, owner, django_assert_max_num_queries
):
    # given
    for n in range(25):
        product = ProductFactory(shop=owner.shop, title=f"商品{n}")
        SkuFactory(product=product, spec_text="颜色:红", outer_code=f"C{n}")
    client = as_member(owner)
    # when
    with django_assert_max_num_queries(14):
        response = client.get(reverse("products:list"))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('name="ids"') == 20
    assert "第 1 / 2 页" in html


def test_list_searches_by_outer_code_and_filters_low_stock(as_member, owner):
    # given
    wanted = ProductFactory(shop=owner.shop, title="羊毛围巾", sku=None)
    SkuFactory(product=wanted, outer_code="WJ-001", stock=2)
    other = ProductFactory(shop=owner.shop, title="棉袜", sku=None)
    SkuFactory(product=other, outer_code="MW-001", stock=200)
    client = as_member(owner)
    # when
    by_code = client.get(reverse("products:list"), {"q": "WJ-0"}).content.decode()
    low = client.get(reverse("products:list"), {"low_stock": 5}).content.decode()
    # then
    assert "羊毛围巾" in by_code and "棉袜" not in by_code
    assert "羊毛围巾" in low and "棉袜" not in low


def test_create_product_with_matrix_and_publish(as_member, owner):
    # given
    client = as_member(owner)
    row = {"price": "59.90", "stock": "10", "outer_code": "T-R"}
    data = _editor_post("纯棉短袖T恤", "红，黑", row, publish=True)
    # when
    response = client.post(reverse("products:create"), data)
    # then
    product = Product.objects.get(shop=owner.shop)
    assert response.status_code == 302
    assert product.status == ProductStatus.ON_SALE
    red, black = product.skus.order_by("pk")
    assert (red.spec_text, red.price_fen, red.stock, red.outer_code) == ("颜色:红", 5990, 10, "T-R")
    assert (black.spec_text, black.price_fen, black.stock) == ("颜色:黑", None, 0)


def test_refused_save_and_publish_saves_nothing_even_when_submitted_twice(as_member, owner):
    # given: 保存并上架 of a product whose only SKU has no price
    client = as_member(owner)
    data = _editor_post("未定价商品", "", {"price": "", "stock": "5"}, publish=True)
    # when
    first = client.post(reverse("products:create"), data)
    second = client.post(reverse("products:create"), data)
    # then: the form is shown again with the reason, and no draft was left behind
    assert (first.status_code, second.status_code) == (200, 200)
    assert "都还没有设置价格" in second.content.decode()
    assert not Product.objects.filter(shop=owner.shop).exists()


def test_bad_price_cell_is_named_and_nothing_is_saved(as_member, owner):
    # given
    client = as_member(owner)
    data = _editor_post("纯棉短袖T恤", "红", {"price": "abc"})
    # when
    response = client.post(reverse("products:create"), data)
    # then
    assert response.status_code == 200
    assert "规格 颜色:红：价格“abc”不是大于 0 的金额" in response.content.decode()
    assert not Product.objects.exists()


def test_warehouse_cannot_open_the_editor_but_can_adjust_stock(as_member, make_member):
    # given
    member = make_member(Role.WAREHOUSE)
    sku = SkuFactory(product=ProductFactory(shop=member.shop, sku=None), stock=4)
    client = as_member(member)
    # when
    edit = client.get(reverse("products:edit", args=[sku.product_id]))
    adjust = client.post(
        reverse("products:stock_adjust", args=[sku.pk]), {"delta": "-1", "note": "破损"}
    )
    # then
    assert edit.status_code == 403
    assert adjust.status_code == 302
    sku.refresh_from_db()
    assert sku.stock == 3


def test_stock_adjust_below_zero_shows_the_reason(as_member, owner):
    # given
    sku = SkuFactory(product=ProductFactory(shop=owner.shop, sku=None), stock=1)
    # when
    response = as_member(owner).post(
        reverse("products:stock_adjust", args=[sku.pk]), {"delta": "-5", "note": "盘点"}
    )
    # then
    assert "调整后库存不能小于 0" in response.content.decode()
    assert not StockMove.objects.exists()


@pytest.mark.parametrize("name", ["products:detail", "products:edit"])
def test_another_shops_product_is_404(as_member, owner, other_owner, name):
    # given
    foreign = ProductFactory(shop=other_owner.shop)
    # when
    response = as_member(owner).get(reverse(name, args=[foreign.pk]))
    # then
    assert response.status_code == 404


def test_another_shops_sku_stock_page_is_404(as_member, owner, other_owner):
    # given
    foreign = SkuFactory(product=ProductFactory(shop=other_owner.shop, sku=None))
    # when
    response = as_member(owner).post(
        reverse("products:stock_adjust", args=[foreign.pk]), {"delta": "5", "note": "x"}
    )
    # then
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.stock == 100


def test_bulk_publish_ignores_other_shops_ids(as_member, owner, other_owner):
    # given
    mine = ProductFactory(shop=owner.shop, status=ProductStatus.OFF_SHELF)
    foreign = ProductFactory(shop=other_owner.shop, status=ProductStatus.OFF_SHELF)
    # when
    as_member(owner).post(
        reverse("products:bulk"), {"ids": [mine.pk, foreign.pk], "action": "publish"}
    )
    # then
    mine.refresh_from_db()
    foreign.refresh_from_db()
    assert (mine.status, foreign.status) == (ProductStatus.ON_SALE, ProductStatus.OFF_SHELF)


def test_image_upload_makes_a_thumbnail(as_member, owner):
    # given
    product = ProductFactory(shop=owner.shop)
    # when
    as_member(owner).post(
        reverse("products:image_upload", args=[product.pk]), {"image": _jpeg((800, 600))}
    )
    # then
    image = ProductImage.objects.get(product=product)
    with Image.open(image.thumbnail.path) as thumb:
        assert max(thumb.size) == 240


def test_gif_upload_is_refused_by_format(as_member, owner):
    # given
    product = ProductFactory(shop=owner.shop)
    # when
    response = as_member(owner).post(
        reverse("products:image_upload", args=[product.pk]),
        {"image": _jpeg(fmt="GIF", name="a.gif")},
        follow=True,
    )
    # then
    assert "只支持 JPEG、PNG、WebP" in response.content.decode()
    assert not ProductImage.objects.exists()


def test_tenth_image_is_refused(as_member, owner):
    # given
    product = ProductFactory(shop=owner.shop)
    client = as_member(owner)
    for _ in range(9):
        client.post(reverse("products:image_upload", args=[product.pk]), {"image": _jpeg()})
    # when
    response = client.post(
        reverse("products:image_upload", args=[product.pk]), {"image": _jpeg()}, follow=True
    )
    # then
    assert "主图最多 9 张" in response.content.decode()
    assert ProductImage.objects.filter(product=product).count() == 9


def test_detail_shows_ban_reason_to_the_merchant(as_member, owner):
    # given
    product = ProductFactory(shop=owner.shop, status=ProductStatus.BANNED, ban_reason="虚假宣传")
    # when
    html = as_member(owner).get(reverse("products:detail", args=[product.pk])).content.decode()
    # then
    assert "该商品已被平台违规下架：虚假宣传" in html


def test_export_csv_has_chinese_headers_and_one_row_per_sku(as_member, owner):
    # given
    product = ProductFactory(shop=owner.shop, title="羊毛围巾", sku=None)
    SkuFactory(product=product, spec_text="颜色:驼色", price_fen=9900, stock=3, outer_code="W1")
    SkuFactory(product=product, spec_text="颜色:红色", price_fen=10900, stock=0)
    # when
    response = as_member(owner).get(reverse("products:export"))
    # then
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "商品ID,商品名称,类目,规格,商家编码,价格,库存,状态,每单限购,每人限购"
    assert lines[1] == f"{product.pk},羊毛围巾,服饰内衣/女装,颜色:驼色,W1,99.00,3,在售,,"
    assert len(lines) == 3
    assert Sku.objects.count() == 2


def test_export_xlsx_writes_numbers_as_numbers(owner):
    # given
    product = ProductFactory(shop=owner.shop, title="羊毛围巾", sku=None)
    SkuFactory(product=product, spec_text="颜色:驼色", price_fen=9950, stock=3)
    # when
    content = export_file(Sku.objects.filter(product=product), "xlsx")
    # then: 商品ID, 价格 and 库存 are number cells, the price shown with two decimals
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    row = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert row["商品ID"].value == product.pk
    assert (row["价格"].data_type, row["价格"].value, row["价格"].number_format) == (
        "n",
        Decimal("99.50"),
        "0.00",
    )
    assert (row["库存"].data_type, row["库存"].value) == ("n", 3)


def test_category_picker_groups_second_levels_under_their_first(as_member, owner):
    # given
    client = as_member(owner)
    # when
    html = client.get(reverse("products:create")).content.decode()
    # then: 女装 sits in the 服饰内衣 group, named by itself
    picker = html.split('id="id_category"')[1].split("</select>")[0]
    group = picker.split('<optgroup label="服饰内衣">')[1].split("</optgroup>")[0]
    assert ">女装</option>" in group and ">男装</option>" in group
    assert "服饰内衣/女装" not in picker
