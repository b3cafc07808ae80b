import pytest
from playwright.sync_api import expect

from shops.factories import MembershipFactory, ShopFactory, UserFactory
from shops.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_sidebar_switch_shop_and_logout(console_login, live_server):
    # given: an owner of two shops
    user = UserFactory(username="duodian")
    MembershipFactory(user=user, shop=ShopFactory(name="甲店", slug="jia"), role=Role.OWNER)
    MembershipFactory(user=user, shop=ShopFactory(name="乙店", slug="yi"), role=Role.OPERATOR)
    # when
    page = console_login("duodian")
    # then: the Chinese sidebar and the first shop
    sidebar = page.locator("nav.sidebar")
    expect(sidebar.get_by_role("link", name="首页")).to_be_visible()
    expect(sidebar.get_by_role("link", name="店铺设置")).to_be_visible()
    expect(page.locator("h1")).to_have_text("甲店")
    page.screenshot(path="test-results/console-home.png", full_page=True)
    # when: switching shop
    page.select_option("#context-switch", label="乙店")
    # then
    expect(page.locator("h1")).to_have_text("乙店")
    expect(page.locator(".role-badge")).to_have_text("运营")
    # when: logging out
    page.locator(".user-menu summary").click()
    page.get_by_test_id("logout").click()
    # then
    page.wait_for_url(f"{live_server.url}/login/")
    expect(page.get_by_role("button", name="登录")).to_be_visible()
