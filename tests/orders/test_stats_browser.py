"""数据 in a real browser: charts draw without console errors, a period switch reloads
the figures, a table shows the chart's numbers, and the CSV downloads."""

import pytest
from playwright.sync_api import expect

from orders.factories import pay
from products.factories import ProductFactory, SkuFactory
from shops.factories import MembershipFactory, ShopFactory, UserFactory
from shops.roles import Role
from tests import browser_support

from .stats_support import place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def merchant():
    shop = ShopFactory(name="潮流服饰旗舰店", slug="chaoliu")
    MembershipFactory(user=UserFactory(username="merchant"), shop=shop, role=Role.OWNER)
    sku = SkuFactory(
        product=ProductFactory(shop=shop, title="纯棉短袖T恤", sku=None), price_fen=9900, stock=50
    )
    for n in range(4):
        pay(place(shop, [(sku.pk, n + 1)], buyer=f"b{n % 3}", province=("广东省", "深圳市")))
    return shop


def test_stats_page_draws_charts_switches_period_and_downloads_csv(
    merchant, console_login, live_server
):
    # given
    page = console_login("merchant")
    errors = browser_support.console_errors(page)
    # when: 数据 from the sidebar, then 近30天
    page.get_by_role("link", name="数据", exact=True).click()
    expect(page.locator("[data-chart=trend] canvas")).to_be_visible()
    page.locator("[data-period='30d']").click()
    page.wait_for_url("**/stats/?period=30d")
    # then: every chart drew
    expect(page.locator("[data-period='30d']")).to_have_class("btn btn-small btn-primary")
    for key in ("trend", "hours", "provinces", "bands", "channels"):
        expect(page.locator(f"[data-chart={key}] canvas")).to_have_count(1)
    expect(page.locator("[data-figure=paid_orders] .card-value")).to_have_text("4")
    # and the hours table shows the chart's numbers
    charted = browser_support.chart_values(page, "hours")
    column = browser_support.table_column(page, "hours", 2)
    assert [int(v) for v in column] == charted and sum(charted) == 4
    # and the CSV downloads
    text = browser_support.download_text(page, "[data-testid=csv-hours]")
    assert (
        text.startswith("小时,订单总量,支付订单数") and browser_support.csv_column_total(text) == 4
    )
    assert errors == []
    browser_support.screenshots(page, "stats")
