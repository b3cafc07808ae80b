import pytest
from playwright.sync_api import expect

from logistics.models import Shipment
from orders.factories import OrderFactory
from orders.models import OrderStatus
from products.factories import ProductFactory, SkuFactory
from shops.factories import MembershipFactory, ShopFactory, UserFactory
from shops.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ship_one_order_from_its_detail_page(console_login, live_server):
    # given: a warehouse member and a paid order of 3 T-shirts
    shop = ShopFactory(name="潮流服饰旗舰店", slug="chaoliu-b")
    MembershipFactory(user=UserFactory(username="cangku"), shop=shop, role=Role.WAREHOUSE)
    product = ProductFactory(shop=shop, title="纯棉圆领短袖T恤", sku=None)
    sku = SkuFactory(product=product, spec_text="颜色:白;尺码:L", stock=20)
    order = OrderFactory(shop=shop, lines=[(sku.pk, 3)], status=OrderStatus.AWAITING_SHIPMENT)
    page = console_login("cangku")
    page.set_viewport_size({"width": 1280, "height": 900})
    # when: shipping 2 of 3 from the order detail
    page.goto(f"{live_server.url}/orders/{order.pk}/")
    page.get_by_test_id("ship-open").click()
    form = page.get_by_test_id("ship-form")
    form.get_by_label("快递公司").select_option(label="顺丰速运")
    form.get_by_label("快递单号").fill("sf 1234 5678 90123")
    form.get_by_label("纯棉圆领短袖T恤").fill("2")
    page.screenshot(path="test-results/logistics-ship-form.png", full_page=True)
    form.get_by_test_id("ship-submit").click()
    # then: partly shipped, the parcel shows with its normalised number
    expect(page.get_by_text("已发货：顺丰速运 SF1234567890123。")).to_be_visible()
    expect(page.get_by_test_id("order-status")).to_have_text("部分发货")
    expect(page.get_by_test_id("parcel-tracking-no")).to_have_text("SF1234567890123")
    page.screenshot(path="test-results/logistics-order-shipped.png", full_page=True)
    assert Shipment.objects.get().lines.get().quantity == 2
    # when: the 物流 pages
    page.get_by_role("link", name="物流").click()
    expect(page.locator("h1")).to_have_text("物流 · 待发货")
    page.screenshot(path="test-results/logistics-to-ship.png", full_page=True)
    page.get_by_role("link", name="发货记录").click()
    expect(page.get_by_text("SF1234567890123")).to_be_visible()
    page.screenshot(path="test-results/logistics-shipments.png", full_page=True)
