"""Browser: 下载待发货订单 on 批量发货, fill in carrier and number, upload, ship."""

import csv
import io

import pytest
from playwright.sync_api import expect

from logistics.factories import carrier
from orders.factories import OrderFactory
from orders.models import OrderStatus
from shops.factories import MembershipFactory, ShopFactory, UserFactory

from .batch_support import sf_no

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_fill_batch_ship_from_the_orders_still_to_ship(console_login, live_server, tmp_path):
    # given: two orders to ship and one already completed
    carrier("shunfeng")
    shop = ShopFactory(name="潮流服饰旗舰店", slug="chaoliu")
    MembershipFactory(user=UserFactory(username="cangku"), shop=shop, role="warehouse")
    to_ship = [OrderFactory(shop=shop) for _ in range(2)]
    OrderFactory(shop=shop, status=OrderStatus.COMPLETED)
    page = console_login("cangku")
    page.goto(f"{live_server.url}/logistics/batch/")
    page.screenshot(path="test-results/batch-to-ship.png", full_page=True)

    # when: downloading 待发货订单 and typing carrier and number on each row
    with page.expect_download() as download:
        page.get_by_test_id("to-ship-csv").click()
    with open(download.value.path(), "rb") as handle:
        rows = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))
    assert sorted(row[0].strip("\t") for row in rows[1:]) == sorted(o.order_no for o in to_ship)
    for n, row in enumerate(rows[1:], start=1):
        row[1], row[2] = "顺丰", sf_no(n)
    path = tmp_path / "待发货订单.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows(rows)
    page.set_input_files("input[name=file]", str(path))
    page.get_by_role("button", name="上传并预览").click()
    page.get_by_test_id("batch-confirm").click()

    # then: both shipped
    expect(page.get_by_test_id("batch-progress")).to_contain_text("发货成功 2")
    for order in to_ship:
        order.refresh_from_db()
        assert order.status == OrderStatus.SHIPPED
