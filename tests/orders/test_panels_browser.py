"""Logistics' panels still show on orders' pages, on a desktop and on a phone."""

import pytest
from playwright.sync_api import expect

from logistics.factories import ShipmentFactory
from orders import aftersales
from orders.buyer_views import order_link
from orders.factories import OrderFactory
from orders.models import AfterSale, AfterSaleStatus, AfterSaleType, OrderStatus
from products.factories import ProductFactory, SkuFactory
from shops.factories import MembershipFactory, ShopFactory, UserFactory
from shops.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_order_aftersale_and_buyer_pages_show_the_logistics_panels(
    page, console_login, live_server, output_path, width
):
    # given: a partly shipped order (one parcel, one unit owed), an exchange waiting to ship
    shop = ShopFactory(name="潮流服饰旗舰店", slug=f"chaoliu-p{width}")
    MembershipFactory(user=UserFactory(username="dianzhu"), shop=shop, role=Role.OWNER)
    sku = SkuFactory(product=ProductFactory(shop=shop, title="纯棉圆领短袖T恤", sku=None), stock=20)
    order = OrderFactory(shop=shop, lines=[(sku.pk, 2)])
    parcel = ShipmentFactory(order=order, quantities={order.items.get().pk: 1})
    swapped = OrderFactory(shop=shop, lines=[(sku.pk, 1)], status=OrderStatus.SHIPPED)
    exchange = aftersales.aftersale_open(
        item_id=swapped.items.get().pk,
        type=AfterSaleType.EXCHANGE,
        quantity=1,
        refund_fen=0,
        reason="尺码不合适",
    )
    AfterSale.objects.filter(pk=exchange.pk).update(
        status=AfterSaleStatus.AWAITING_EXCHANGE_SHIPMENT
    )
    page.set_viewport_size({"width": width, "height": 900})
    console_login("dianzhu")
    # when: the order detail
    page.goto(f"{live_server.url}/orders/{order.pk}/")
    page.screenshot(path=f"{output_path}/panels-order-detail-{width}.png", full_page=True)
    # then: 发货 / 打印面单, the parcel and the ship form
    expect(page.get_by_test_id("ship-open")).to_be_visible()
    expect(page.get_by_role("button", name="打印面单")).to_be_visible()
    expect(page.get_by_test_id("parcel-tracking-no")).to_have_text(parcel.tracking_no)
    expect(page.get_by_test_id("ship-form")).to_be_visible()
    # when: the after-sale detail
    page.goto(f"{live_server.url}/aftersales/{exchange.pk}/")
    page.screenshot(path=f"{output_path}/panels-aftersale-detail-{width}.png", full_page=True)
    # then
    expect(page.get_by_test_id("exchange-ship-form")).to_be_visible()
    expect(page.get_by_text("当前状态无需商家操作")).to_have_count(0)
    # when: the buyer's page of the order
    page.goto(f"{live_server.url}{order_link(order)}")
    page.screenshot(path=f"{output_path}/panels-buyer-order-{width}.png", full_page=True)
    # then
    expect(page.get_by_test_id("parcel-tracking-no")).to_have_text(parcel.tracking_no)
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
