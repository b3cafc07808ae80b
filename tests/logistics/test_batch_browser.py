"""Browser: batch-ship from an uploaded file with one bad row."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from logistics.factories import carrier
from logistics.models import Shipment
from orders.factories import OrderFactory
from orders.models import OrderStatus
from shops.factories import MembershipFactory, ShopFactory, UserFactory

from .batch_support import csv_bytes, sf_no

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_batch_ship_a_file_with_one_bad_row(console_login, live_server, tmp_path):
    # given: two orders to ship and a GBK file with one row naming an unknown carrier
    carrier("shunfeng")
    shop = ShopFactory(name="潮流服饰旗舰店", slug="chaoliu")
    MembershipFactory(user=UserFactory(username="cangku"), shop=shop, role="warehouse")
    first, second = OrderFactory(shop=shop), OrderFactory(shop=shop)
    path = tmp_path / "今日发货.csv"
    path.write_bytes(
        csv_bytes(
            [
                [first.order_no, "顺丰", sf_no(1), "", ""],
                [second.order_no, "闪电快递", sf_no(2), "", ""],
            ],
            encoding="gbk",
        )
    )
    page = console_login("cangku")

    # when: uploading it
    page.goto(f"{live_server.url}/logistics/batch/")
    expect(page.locator("nav.sidebar a.is-active")).to_have_text("物流")
    page.set_input_files("input[name=file]", str(path))
    page.get_by_role("button", name="上传并预览").click()

    # then: the preview judges each row and nothing has shipped yet
    rows = page.get_by_test_id("batch-rows")
    expect(rows.locator("tr[data-row='2']")).to_contain_text("可发货")
    expect(rows.locator("tr[data-row='3']")).to_contain_text("快递公司“闪电快递”无法识别")
    expect(page.get_by_test_id("batch-confirm")).to_have_text("确认发货 1 行")
    assert not Shipment.objects.exists()
    page.screenshot(path="test-results/batch-preview.png", full_page=True)

    # when: confirming
    page.get_by_test_id("batch-confirm").click()

    # then: the good row shipped, the bad one is reported, the progress is complete
    expect(page.get_by_test_id("batch-progress")).to_contain_text("已完成")
    expect(page.get_by_test_id("batch-progress")).to_contain_text("发货成功 1 · 已发过 0 · 失败 1")
    expect(rows.locator("tr[data-row='2']")).to_contain_text(f"已发货：顺丰速运 {sf_no(1)}")
    page.screenshot(path="test-results/batch-done.png", full_page=True)
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == (OrderStatus.SHIPPED, OrderStatus.AWAITING_SHIPMENT)

    # when: downloading the result report
    with page.expect_download() as download:
        page.get_by_test_id("report-xlsx").click()

    # then: every row with its result
    with open(download.value.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).worksheets[0]
    assert [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "已发货",
        "不可发货",
    ]

    # when: going back to the list of batches
    page.get_by_role("link", name="返回批量发货").click()

    # then
    expect(page.get_by_test_id("batch-list")).to_contain_text("今日发货.csv")
    page.screenshot(path="test-results/batch-list.png", full_page=True)
