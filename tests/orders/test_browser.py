import re

import pytest
from playwright.sync_api import expect

from affiliates.factories import AllianceItemFactory, AllianceOfferFactory, ShowcaseCreatorFactory
from orders.factories import OrderFactory
from orders.models import AfterSaleStatus, Order, OrderStatus
from products.factories import ProductFactory, SkuFactory
from shops.factories import MembershipFactory, ShopFactory, UserFactory
from shops.roles import Role
from tests.browser_support import ask_for_aftersale, fill_receiver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def showcase_item():
    """A creator's showcase carrying a shop's T-shirt through 精选联盟; the shop's owner
    is `merchant`."""
    shop = ShopFactory(name="潮流服饰旗舰店", slug="chaoliu")
    MembershipFactory(user=UserFactory(username="merchant"), shop=shop, role=Role.OWNER)
    product = ProductFactory(shop=shop, title="纯棉短袖T恤", sku=None)
    SkuFactory(product=product, spec_text="颜色:白;尺码:L", price_fen=9900, stock=10)
    creator = ShowcaseCreatorFactory(nickname="小鹿同学", douyin_id="xiaolu")
    return AllianceItemFactory(creator=creator, offer=AllianceOfferFactory(product=product))


def _buy_and_ask_for_a_refund(page, live_server, item):
    """The buyer's side: showcase → checkout → pay → 未发货仅退款."""
    page.goto(f"{live_server.url}/s/{item.creator.douyin_id}/items/{item.pk}/")
    page.click("[data-buy]")
    fill_receiver(page, "王小二", "13966668888", "广东省", "深圳市", "南山区", "科技园 8 号")
    page.get_by_role("button", name="提交订单").click()
    page.get_by_role("button", name=re.compile("支付")).click()
    expect(page.get_by_text("支付成功")).to_be_visible()
    ask_for_aftersale(page, type="2", amount="99.00")  # 未发货仅退款
    expect(page.get_by_text("待商家同意").first).to_be_visible()


def test_buy_from_a_showcase_then_the_merchant_refunds(
    page, console_login, live_server, settings, showcase_item
):
    # given: a buyer bought from the creator's showcase, paid and asked for a refund
    settings.PAYMENT_SIMULATOR_ENABLED = True
    _buy_and_ask_for_a_refund(page, live_server, showcase_item)
    order = Order.objects.get()
    assert (order.creator, order.status) == (showcase_item.creator, OrderStatus.AWAITING_SHIPMENT)

    # when: the merchant finds it by the receiver's phone
    console_login("merchant")
    page.get_by_role("link", name="订单管理").click()
    page.screenshot(path="test-results/orders-list.png", full_page=True)
    page.fill("#id_receiver_phone", "13966668888")
    page.get_by_role("button", name="查询").click()
    # then: one row, masked, marked 售后中 and credited to the creator
    rows = page.locator("tbody.o-order")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("139****8888")
    expect(rows.first).to_contain_text("售后中")
    expect(rows.first).to_contain_text("小鹿同学")

    # when: opening it and revealing the receiver
    rows.first.get_by_role("link", name="详情").click()
    expect(page.get_by_test_id("receiver-phone")).to_have_text("139****8888")
    page.get_by_test_id("reveal").click()
    # then
    expect(page.get_by_test_id("receiver-phone")).to_have_text("13966668888")
    page.screenshot(path="test-results/orders-detail.png", full_page=True)

    # when: handling the refund from the order's after-sales
    page.locator("a", has_text=order.aftersales.get().aftersale_no).click()
    page.screenshot(path="test-results/aftersale-detail.png", full_page=True)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("agree").click()
    # then
    expect(page.get_by_test_id("aftersale-status")).to_have_text("售后成功")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.aftersales.get().status == AfterSaleStatus.SUCCEEDED
    page.get_by_role("link", name="售后", exact=True).click()
    expect(page.locator("[data-aftersale]")).to_have_count(1)
    page.screenshot(path="test-results/aftersale-list.png", full_page=True)
    page.get_by_role("link", name="首页").click()
    expect(page.get_by_text("售后待处理")).to_be_visible()
    page.screenshot(path="test-results/orders-home-cards.png", full_page=True)


PHONE = {"width": 390, "height": 844}


def _fits_the_screen(page, locator):
    """Nothing scrolls sideways, and `locator` is on screen without scrolling sideways."""
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_order_list_fits_a_phone(page, console_login, live_server, output_path):
    # given: an order in 备货中, seen on a 390 px phone
    shop = ShopFactory(name="潮流服饰旗舰店", slug="chaoliu")
    MembershipFactory(user=UserFactory(username="merchant"), shop=shop, role=Role.OWNER)
    OrderFactory(shop=shop)
    page.set_viewport_size(PHONE)
    console_login("merchant")
    # when
    page.goto(f"{live_server.url}/orders/")
    page.screenshot(path=f"{output_path}/orders-list-390.png", full_page=True)
    # then: the filters are folded under 筛选, and the row's amount and status show
    filters = page.get_by_test_id("order-filters")
    expect(filters.get_by_label("订单编号", exact=True)).to_be_hidden()
    row = page.locator("tbody.o-order").first
    _fits_the_screen(page, row.locator(".o-status"))
    _fits_the_screen(page, row.get_by_text("¥99.00").last)
    # when: unfolding the filters
    filters.locator("summary").click()
    # then
    expect(filters.get_by_label("订单编号", exact=True)).to_be_visible()
    _fits_the_screen(page, filters.get_by_role("button", name="查询"))
    page.screenshot(path=f"{output_path}/orders-filters-390.png", full_page=True)


def test_order_list_filters_stay_open_on_a_desktop(page, console_login, live_server, output_path):
    # given
    shop = ShopFactory(name="潮流服饰旗舰店", slug="chaoliu")
    MembershipFactory(user=UserFactory(username="merchant"), shop=shop, role=Role.OWNER)
    OrderFactory(shop=shop)
    page.set_viewport_size({"width": 1366, "height": 900})
    console_login("merchant")
    # when
    page.goto(f"{live_server.url}/orders/")
    # then
    expect(
        page.get_by_test_id("order-filters").get_by_label("订单编号", exact=True)
    ).to_be_visible()
    expect(page.get_by_test_id("order-filters").locator("summary")).to_be_hidden()
    page.screenshot(path=f"{output_path}/orders-list-1366.png", full_page=True)
