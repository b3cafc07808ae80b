import pytest
from playwright.sync_api import expect

from shops.factories import CreatorFactory, MembershipFactory, ShopFactory, UserFactory
from shops.roles import Role
from tests.browser_support import owner_settings_page

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


@pytest.mark.parametrize("width", [390, 1366])
def test_api_token_is_shown_once_and_revoked(console_login, live_server, width):
    # given: an owner on 店铺设置 → API 令牌
    page = owner_settings_page(
        console_login,
        live_server,
        username="lingpai",
        shop_name="令牌店",
        link="API 令牌",
        width=width,
    )
    # when
    page.fill("#id_name", "ERP 对接")
    page.get_by_role("button", name="创建").click()
    # then: shown once, listed by name
    secret = page.locator(".token-secret")
    expect(secret).to_be_visible()
    assert len(secret.inner_text()) == 64
    expect(page.get_by_test_id("tokens")).to_contain_text("ERP 对接")
    page.screenshot(path=f"test-results/api-tokens-{width}.png", full_page=True)
    # when: revoked
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="撤销").click()
    # then
    expect(page.get_by_test_id("tokens")).to_contain_text("还没有 API 令牌。")
    expect(page.locator(".token-secret")).to_have_count(0)


def test_creator_sees_account_facts_read_only(console_login, live_server):
    # given
    CreatorFactory(user=UserFactory(username="daren"), douyin_id="few_followers", followers=999)
    page = console_login("daren")
    page.set_viewport_size({"width": 390, "height": 900})
    # then: the facts are text, the form has only the nickname
    expect(page.get_by_test_id("account-facts")).to_contain_text("999")
    expect(page.locator("#id_followers")).to_have_count(0)
    expect(page.locator("#id_nickname")).to_be_visible()
    page.screenshot(path="test-results/creator-home-390.png", full_page=True)
