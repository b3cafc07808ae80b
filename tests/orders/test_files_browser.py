"""Browser: export the filtered order list, download it again from 导出记录, and import
a file with its preview and confirm (at 1366 px and on a 390 px phone)."""

import os

import pytest
from playwright.sync_api import expect

from orders.factories import OrderFactory
from orders.models import Order, OrderStatus
from shops.factories import MembershipFactory, ShopFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name: str) -> None:
    # SCREENSHOT_DIR: other runs sharing the tree clear test-results/ when they start.
    page.screenshot(
        path=f"{os.environ.get('SCREENSHOT_DIR', 'test-results')}/{name}", full_page=True
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def shop():
    shop = ShopFactory(name="潮流服饰旗舰店", slug="chaoliu")
    MembershipFactory(user=UserFactory(username="laoban"), shop=shop, role="owner")
    return shop


def _read(download) -> str:
    with open(download.value.path(), "rb") as handle:
        return handle.read().decode("utf-8-sig")


def test_export_the_filtered_list_and_download_it_from_the_records(
    console_login, live_server, shop
):
    # given: two orders to ship and one completed
    to_ship = [OrderFactory(shop=shop) for _ in range(2)]
    done = OrderFactory(shop=shop, status=OrderStatus.COMPLETED)
    page = console_login("laoban")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/orders/?tab=to_ship")

    # when: 导出 from the 待发货 tab, CSV by 子订单
    page.get_by_test_id("order-export").click()
    expect(page.get_by_test_id("export-filter")).to_contain_text("订单状态：待发货")
    expect(page.get_by_test_id("export-filter")).to_contain_text("共 2 个订单")
    _shot(page, "order-export.png")
    with page.expect_download() as download:
        page.get_by_test_id("export-submit").click()

    # then: exactly the tab's orders
    text = _read(download)
    assert all(o.order_no in text for o in to_ship) and done.order_no not in text

    # when: downloading it again from 导出记录
    page.goto(f"{live_server.url}/orders/files/exports/")
    expect(page.get_by_test_id("export-list")).to_contain_text("订单状态：待发货")
    _shot(page, "order-exports.png")
    with page.expect_download() as again:
        page.get_by_test_id("export-download").first.click()

    # then
    assert _read(again) == text
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    _shot(page, "order-exports-phone.png")
    page.goto(f"{live_server.url}/orders/files/export/?tab=to_ship")
    _shot(page, "order-export-phone.png")


def test_import_a_file_with_its_preview_then_confirm(console_login, live_server, shop, tmp_path):
    # given: a GBK file of two orders, one row with a bad quantity
    header = "主订单编号,子订单编号,选购商品,商品数量,订单应付金额,订单提交时间,订单状态"
    good = (
        "\t6900000000000000001,\t6900000000000000101,纯棉T恤,1,￥99.00,2026/11/01 12:00:00,已完成"
    )
    bad = "6900000000000000002,6900000000000000201,卫衣,两件,199.00,2026-11-02 12:00:00,待发货"
    path = tmp_path / "历史订单.csv"
    path.write_bytes(("\r\n".join([header, good, bad]) + "\r\n").encode("gbk"))
    page = console_login("laoban")
    page.set_viewport_size({"width": 1366, "height": 900})

    # when: uploading it
    page.goto(f"{live_server.url}/orders/files/imports/")
    page.set_input_files("input[name=file]", str(path))
    page.get_by_role("button", name="上传并预览").click()

    # then: the preview names the bad cell and offers no confirm
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("第 3 行")
    expect(errors).to_contain_text("D列（商品数量）")
    expect(page.get_by_test_id("import-confirm")).to_have_count(0)
    _shot(page, "order-import-errors.png")

    # when: uploading the corrected file
    path.write_bytes(("\r\n".join([header, good, bad.replace("两件", "2")]) + "\r\n").encode("gbk"))
    page.goto(f"{live_server.url}/orders/files/imports/")
    page.set_input_files("input[name=file]", str(path))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.locator("[data-count=new]")).to_have_text("2")
    assert not Order.objects.filter(shop=shop).exists()
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    _shot(page, "order-import-preview-phone.png")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_test_id("import-confirm").click()

    # then
    expect(page.get_by_test_id("import-progress")).to_contain_text("已完成")
    _shot(page, "order-import-done.png")
    statuses = dict(Order.objects.filter(shop=shop).values_list("order_no", "status"))
    assert statuses == {
        "6900000000000000001": OrderStatus.COMPLETED,
        "6900000000000000002": OrderStatus.AWAITING_SHIPMENT,
    }
