"""The live-room overlay in a real browser: a viewer buys and pays from the live cart, the
open overlay shows the order without a reload, pushed over its one event stream (the
test server is WSGI: each stream holds a thread there, as under `make run`)."""

import pytest
from playwright.sync_api import expect

from affiliates.factories import AllianceItemFactory, LiveItemFactory, LiveSessionFactory
from affiliates.templatetags.affiliates_buy import live_buy_url
from orders.factories import OrderFactory
from products.factories import ProductFactory, SkuFactory
from shops.factories import UserFactory
from tests.browser_support import fill_receiver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_paid_order_appears_on_the_open_overlay(page, live_server, settings, console_login):
    # given: a live with a T-shirt being explained, 20 in stock, its overlay open
    settings.PAYMENT_PROVIDER_SECRET = "browser-secret"
    settings.PAYMENT_SIMULATOR_ENABLED = True
    product = ProductFactory(title="纯棉圆领短袖T恤", sku=None)
    SkuFactory(product=product, spec_text="颜色:白;尺码:M", price_fen=5900, stock=20)
    item = AllianceItemFactory(product=product, offer__product=product)
    item.creator.user = UserFactory(username="zhubo")
    item.creator.save()
    session = LiveSessionFactory(creator=item.creator, title="双十二宠粉专场")
    link = LiveItemFactory(session=session, item=item, is_explaining=True)
    violations = []
    page.on("console", lambda m: "Content-Security-Policy" in m.text and violations.append(m.text))
    streams = []
    page.on("request", lambda r: "/live/" in r.url and "/events/" in r.url and streams.append(r))
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/live/{session.feed_token}/feed/")
    expect(page.locator("[data-feed-count]")).to_have_text("0")
    expect(page.locator("[data-feed-stock]")).to_have_text("20")
    # when: a viewer buys one from the live cart and pays, in another tab
    buyer = page.context.new_page()
    buyer.goto(live_server.url + live_buy_url(link))
    fill_receiver(buyer, words="请用顺丰")  # 王小明, 浙江省杭州市余杭区 …
    buyer.get_by_role("button", name="提交订单").click()
    buyer.get_by_role("button", name="支付 ¥59.00").click()
    expect(buyer.locator(".by-status h1")).to_have_text("备货中")
    # then: the overlay, never reloaded, shows it masked, with the count and the stock
    line = page.locator(".live-order")
    expect(line).to_have_text("浙江省 杭州市 的 王** 刚刚下单 纯棉圆领短袖T恤", timeout=5000)
    expect(page.locator("[data-feed-count]")).to_have_text("1")
    expect(page.locator("[data-feed-stock]")).to_have_text("19")
    assert "13912345678" not in page.content() and "王小明" not in page.content()
    # pushed, not polled: the page opened one stream and nothing else asked for orders
    assert len(streams) == 1
    # a browser source: nothing painted behind the text
    for element in ("document.documentElement", "document.body"):
        assert page.evaluate(f"getComputedStyle({element}).backgroundColor") == "rgba(0, 0, 0, 0)"
    page.screenshot(path="test-results/live-feed-overlay.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="test-results/live-feed-overlay-390.png")
    assert violations == []
    # and the creator finds the link on the live cart page
    console = console_login("zhubo")
    console.goto(f"{live_server.url}/affiliates/lives/{session.pk}/")
    expect(console.get_by_test_id("live-feed-url")).to_have_value(
        f"{live_server.url}/live/{session.feed_token}/feed/"
    )
    console.screenshot(path="test-results/live-feed-link.png", full_page=True)


def test_the_shop_screen_shows_a_new_paid_order(console_login, live_server, make_member):
    # given: the shop's owner on 直播大屏
    member = make_member("owner", username="dianzhu")
    sku = ProductFactory(shop=member.shop, title="羊毛围巾").skus.get()
    page = console_login("dianzhu")
    page.locator("nav.sidebar").get_by_role("link", name="直播大屏").click()
    expect(page.locator("[data-feed-count]")).to_have_text("0")
    # when: an order of the shop is placed and paid
    OrderFactory(shop=member.shop, lines=[(sku.pk, 1)])
    # then: it appears without a reload, masked
    expect(page.locator(".live-order")).to_have_text(
        "浙江省 杭州市 的 张** 刚刚下单 羊毛围巾", timeout=5000
    )
    expect(page.locator("[data-feed-count]")).to_have_text("1")
    page.screenshot(path="test-results/live-screen.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(500)  # the sidebar slides away
    page.screenshot(path="test-results/live-screen-390.png", full_page=True)
