import pytest
from playwright.sync_api import expect

from affiliates.factories import AllianceItemFactory, AllianceOfferFactory
from orders.models import Order, OrderStatus
from products.factories import ProductFactory, SkuFactory
from tests.browser_support import ask_for_aftersale, fill_and_submit, fill_receiver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_buy_from_a_showcase_pay_and_ask_for_a_refund(page, live_server, settings):
    # given: a creator's showcase with a 精选联盟 item of a shop's T-shirt
    settings.PAYMENT_PROVIDER_SECRET = "browser-secret"
    settings.PAYMENT_SIMULATOR_ENABLED = True
    product = ProductFactory(title="纯棉圆领短袖T恤", sku=None)
    for spec in ("颜色:白;尺码:M", "颜色:黑;尺码:L"):
        SkuFactory(product=product, spec_text=spec, price_fen=5900, stock=20)
    item = AllianceItemFactory(offer=AllianceOfferFactory(product=product))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/s/{item.creator.douyin_id}/items/{item.pk}/")
    # when: buying with a bad phone first
    page.get_by_role("link", name="购买").click()
    expect(page.get_by_role("button", name="提交订单")).to_be_visible()
    page.locator("label.by-choice", has_text="颜色:黑;尺码:L").click()
    page.fill("#id_quantity", "2")
    fill_receiver(page, words="请用顺丰")
    fill_and_submit(page, "#id_receiver_phone", "123", "提交订单")
    # then: the field says what is wrong
    expect(page.locator(".error")).to_contain_text("手机号")
    page.screenshot(path="test-results/buyer-checkout-error.png", full_page=True)
    # when: fixing it and paying
    fill_and_submit(page, "#id_receiver_phone", "13912345678", "提交订单")
    expect(page.locator(".by-price-big")).to_have_text("¥118.00")
    page.screenshot(path="test-results/buyer-pay.png", full_page=True)
    page.locator("label.by-choice", has_text="微信").click()
    page.get_by_role("button", name="支付 ¥118.00").click()
    # then: the order page shows it paid and waiting for shipment
    expect(page.locator(".by-status h1")).to_have_text("备货中")
    order = Order.objects.get()
    assert order.status == OrderStatus.AWAITING_SHIPMENT and order.creator == item.creator
    page.screenshot(path="test-results/buyer-order.png", full_page=True)
    # when: asking for a refund before shipping
    ask_for_aftersale(page, type="2", amount="59")
    # then
    expect(page.locator(".by-aftersale")).to_contain_text("待商家同意")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path="test-results/buyer-order-aftersale-1280.png", full_page=True)


def test_shop_product_page_leads_to_checkout(page, live_server):
    product = ProductFactory(title="智利车厘子 JJ级 2斤装")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/shop/{product.shop.slug}/p/{product.pk}/")
    expect(page.locator(".by-price")).to_have_text("¥99.00")
    page.screenshot(path="test-results/buyer-product-1280.png", full_page=True)
    page.get_by_role("link", name="立即购买").click()
    expect(page.get_by_role("button", name="提交订单")).to_be_visible()
    page.screenshot(path="test-results/buyer-checkout-1280.png", full_page=True)
