from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from affiliates.factories import ShowcaseCreatorFactory
from affiliates.ledger.factories import alliance_offer, alliance_order
from affiliates.ledger.settlement import ledger_settle_due
from orders.models import OrderStatus
from orders.services import order_complete
from shops.factories import MembershipFactory, ShopFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_creator_sees_a_new_orders_commission_estimated_then_settled(console_login):
    # given: a creator with nothing earned yet
    creator = ShowcaseCreatorFactory(user=UserFactory(username="xiaomei"), nickname="小美")
    page = console_login("xiaomei")
    page.locator("nav.sidebar").get_by_role("link", name="佣金收入").click()
    today = page.locator("tr[data-period=today]")
    expect(today.locator("td[data-state=estimated]")).to_have_text("¥0.00")
    # when: a buyer pays a ¥99.00 精选联盟 order at 20% through the creator
    order = alliance_order(creator=creator, status=OrderStatus.SHIPPED)
    page.reload()
    # then: 预估 ¥17.82 (after the 10% technical service fee)
    expect(today.locator("td[data-state=estimated]")).to_have_text("¥17.82")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path="test-results/ledger-income-1366.png", full_page=True)
    # when: the order completes and the settlement job runs after the delay
    order_complete(order_id=order.pk, actor_label="买家")
    ledger_settle_due(now=timezone.now() + timedelta(days=8))
    page.reload()
    # then
    expect(today.locator("td[data-state=estimated]")).to_have_text("¥0.00")
    expect(today.locator("td[data-state=settled]")).to_have_text("¥17.82")
    expect(page.get_by_test_id("withdrawable")).to_have_text("¥17.82")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()  # the phone layout from the start, not the sidebar sliding away
    page.screenshot(path="test-results/ledger-income-390.png", full_page=True)
    # and the entries behind the settled total
    today.locator("td[data-state=settled] a").click()
    expect(page.get_by_test_id("entries")).to_contain_text("结算")
    page.screenshot(path="test-results/ledger-entries-390.png", full_page=True)


def test_a_merchant_opens_funds(console_login):
    # given: a shop with a 精选联盟 order
    shop = ShopFactory(name="潮流服饰旗舰店")
    MembershipFactory(user=UserFactory(username="boss"), shop=shop, role="owner")
    order = alliance_order(
        creator=ShowcaseCreatorFactory(), offer=alliance_offer(shop=shop), shipping_fen=800
    )
    page = console_login("boss")
    # when
    page.locator("nav.sidebar").get_by_role("link", name="资金").click()
    # then: ¥99.00 + ¥8.00 − ¥4.95 fee − ¥19.80 commission
    row = page.get_by_test_id("settlements").locator("tr", has_text=order.order_no)
    expect(row).to_contain_text("¥82.25")
    expect(row).to_contain_text("待结算")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path="test-results/ledger-funds-1366.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()  # the phone layout from the start, not the sidebar sliding away
    page.screenshot(path="test-results/ledger-funds-390.png", full_page=True)
