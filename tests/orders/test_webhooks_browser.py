"""消息推送 in a browser: register an endpoint from 店铺设置, see the secret once, push a
test event and read the log, on a phone and a laptop."""

import pytest
from playwright.sync_api import expect

from shops.factories import MembershipFactory, ShopFactory, UserFactory
from shops.roles import Role
from tests.orders.webhook_support import receiver  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1366])
def test_register_test_push_and_read_the_log(console_login, live_server, receiver, width):  # noqa: F811
    # given
    user = UserFactory(username="tuisong")
    MembershipFactory(user=user, shop=ShopFactory(name="推送店", slug="tuisong"), role=Role.OWNER)
    page = console_login("tuisong")
    page.set_viewport_size({"width": width, "height": 900})
    # when: 店铺设置 → 消息推送, register with two events
    page.goto(f"{live_server.url}/settings/")
    page.get_by_role("link", name="消息推送").click()
    page.fill("#id_url", receiver.url)
    page.locator("input[name=events]").first.click()  # unticks 订单创建
    page.get_by_role("button", name="添加").click()
    # then: the secret, once
    expect(page.get_by_test_id("new-secret")).to_be_visible()
    page.screenshot(path=f"test-results/webhooks-list-{width}.png", full_page=True)
    # when: the endpoint page, 测试推送
    page.get_by_role("link", name="查看该推送地址").click()
    page.get_by_test_id("test-push").click()
    # then
    expect(page.locator("body")).to_contain_text("测试推送成功")
    expect(page.locator("body")).to_contain_text("answer 200 from the ERP")
    expect(page.locator("body")).not_to_contain_text("whsec_")
    page.screenshot(path=f"test-results/webhooks-detail-{width}.png", full_page=True)
    assert len(receiver.requests) == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
