import pytest
from playwright.sync_api import expect

from products.factories import ProductFactory, SkuFactory, leaf_category
from shops.factories import MembershipFactory, ShopFactory, UserFactory
from shops.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _member(username, role=Role.OWNER):
    leaf_category()  # an earlier transactional test may have flushed the seeded tree
    shop = ShopFactory(name="潮流服饰旗舰店", slug="chaoliu-test")
    return MembershipFactory(user=UserFactory(username=username), shop=shop, role=role)


def test_create_product_with_two_specs_and_publish_it(console_login, live_server):
    # given
    _member("dianzhu")
    page = console_login("dianzhu")
    page.get_by_role("link", name="商品", exact=True).click()
    page.get_by_role("link", name="发布商品").click()
    # when: two specs give a 2 × 3 matrix
    page.get_by_label("商品名称").fill("纯棉圆领短袖T恤")
    page.get_by_label("类目").select_option(label="女装")
    page.get_by_label("规格名 1").fill("颜色")
    page.get_by_label("规格值 1").fill("白色，黑色")
    page.get_by_label("规格名 2").fill("尺码")
    page.get_by_label("规格值 2").fill("S，M，L")
    rows = page.locator("[data-sku-rows] tr")
    expect(rows).to_have_count(6)
    expect(rows.nth(5)).to_contain_text("颜色:黑色;尺码:L")
    # when: first row filled, then filled down
    rows.first.get_by_label("价格").fill("59.90")
    rows.first.get_by_label("库存").fill("20")
    page.locator('[data-fill="price"]').click()
    page.locator('[data-fill="stock"]').click()
    expect(rows.nth(5).get_by_label("价格")).to_have_value("59.90")
    page.screenshot(path="test-results/products-editor.png", full_page=True)
    page.get_by_role("button", name="保存并上架").click()
    # then: the detail page says 在售 and lists six SKUs at ¥59.90
    expect(page.locator(".flash")).to_contain_text("商品已保存并上架")
    expect(page.locator("h1 .status-badge")).to_have_text("在售")
    expect(page.get_by_role("cell", name="¥59.90")).to_have_count(6)
    page.screenshot(path="test-results/products-detail.png", full_page=True)
    # then: the list shows it on sale
    page.get_by_role("link", name="返回列表").click()
    row = page.locator("tr", has_text="纯棉圆领短袖T恤")
    expect(row.locator(".status-badge")).to_have_text("在售")
    expect(row).to_contain_text("¥59.90")
    expect(row).to_contain_text("120")
    page.screenshot(path="test-results/products-list.png", full_page=True)


def test_warehouse_adjusts_stock_with_a_reason(console_login):
    # given
    member = _member("cangku", Role.WAREHOUSE)
    product = ProductFactory(shop=member.shop, title="帆布托特包", sku=None)
    SkuFactory(product=product, spec_text="颜色:米色", stock=3)
    page = console_login("cangku")
    page.get_by_role("link", name="商品", exact=True).click()
    page.get_by_role("link", name="帆布托特包").click()
    page.get_by_role("link", name="调整库存").click()
    # when
    page.get_by_label("调整数量").fill("-1")
    page.get_by_label("调整原因").fill("破损报损")
    page.screenshot(path="test-results/products-stock-adjust.png", full_page=True)
    page.get_by_role("button", name="确认调整").click()
    # then
    expect(page.locator(".flash")).to_contain_text("库存已调整")
    history = page.locator("tr", has_text="破损报损")
    expect(history).to_contain_text("手动调整")
    expect(history).to_contain_text("-1")


def test_import_preview_lists_row_errors(console_login, tmp_path):
    # given
    _member("yunying", Role.OPERATOR)
    bad = tmp_path / "products.csv"
    bad.write_text(
        "商品ID,商品名称,类目,规格,商家编码,价格,库存,状态\n"
        ",好商品,服饰内衣/女装,,A1,10.00,5,\n"
        ",坏价格,服饰内衣/女装,,A2,十元,5,\n",
        encoding="utf-8-sig",
    )
    page = console_login("yunying")
    page.get_by_role("link", name="商品", exact=True).click()
    page.get_by_role("link", name="批量导入").click()
    # when
    page.get_by_label("选择文件").set_input_files(str(bad))
    page.get_by_role("button", name="上传并预览").click()
    # then
    preview = page.get_by_test_id("import-preview")
    expect(preview).to_contain_text("共 2 行：新增 1")
    # the spreadsheet's own row number: the header is row 1
    expect(preview.locator("tr", has_text="第 3 行")).to_contain_text("价格“十元”不是 0.01 到")
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    page.screenshot(path="test-results/products-import.png", full_page=True)


def test_product_list_fits_a_phone(console_login, live_server, output_path):
    # given: a product on sale, seen on a 390 px phone
    membership = _member("dianzhu")
    ProductFactory(shop=membership.shop, title="纯棉短袖T恤")
    page = console_login("dianzhu")
    page.set_viewport_size({"width": 390, "height": 844})
    # when
    page.goto(f"{live_server.url}/products/")
    page.screenshot(path=f"{output_path}/products-list-390.png", full_page=True)
    # then: nothing scrolls sideways; the price and the status are on screen
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    row = page.locator("tr[data-product]").first
    for cell in (row.locator("[data-label='价格']"), row.locator("[data-label='状态']")):
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    expect(row.locator("[data-label='状态']")).to_contain_text("在售")
