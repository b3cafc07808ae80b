"""The Content-Security-Policy, seen by a browser: console pages, htmx, ECharts and the
API docs run without a single violation."""

import pytest
from playwright.sync_api import expect

from affiliates.factories import AllianceOfferFactory, LiveSessionFactory, ShowcaseCreatorFactory
from orders.factories import OrderFactory
from products.factories import ProductFactory
from shops.factories import MembershipFactory, ShopFactory, UserFactory
from shops.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script (through the DevTools protocol, so outside the policy).
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.fixture
def csp_log(page):
    """Every CSP violation the browser reports, from the console and from the DOM event."""
    messages = []
    page.on(
        "console",
        lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.add_init_script(RECORD_VIOLATIONS)

    def violations():
        return messages + page.evaluate("window.__csp")

    return violations


@pytest.fixture
def merchant():
    """`csp` owns a shop with a product, an order and an alliance offer; they are also a
    creator with a live room."""
    user = UserFactory(username="csp")
    shop = ShopFactory(name="安全小店", slug="anquan")
    MembershipFactory(user=user, shop=shop, role=Role.OWNER)
    product = ProductFactory(shop=shop, title="纯棉短袖T恤")
    order = OrderFactory(shop=shop)
    AllianceOfferFactory(product=product)
    live = LiveSessionFactory(creator=ShowcaseCreatorFactory(user=user))
    return {"product": product, "order": order, "live": live}


def test_console_pages_run_without_a_csp_violation(console_login, live_server, csp_log, merchant):
    # given
    page = console_login("csp")
    paths = [
        "/",
        "/products/",
        f"/products/{merchant['product'].pk}/",
        f"/products/{merchant['product'].pk}/edit/",
        "/products/new/",
        "/products/import/",
        "/orders/",
        f"/orders/{merchant['order'].pk}/",
        "/aftersales/",
        "/logistics/",
        "/logistics/shipments/",
        "/logistics/batch/",
        "/affiliates/alliance/",
        "/settings/",
        "/settings/members/",
        "/stats/",  # 数据: ECharts
    ]
    for path in paths:
        # when
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        # then
        assert page.evaluate("typeof htmx") == "object", path
        assert csp_log() == [], path
    # when: htmx swaps in the revealed receiver on the order page
    page.goto(f"{live_server.url}/orders/{merchant['order'].pk}/")
    page.get_by_test_id("reveal").click()
    expect(page.get_by_test_id("receiver-phone")).not_to_contain_text("*")
    # then
    assert csp_log() == []


def test_an_injected_inline_script_is_refused(console_login, live_server, csp_log):
    # given
    MembershipFactory(user=UserFactory(username="csp"), shop=ShopFactory(), role=Role.OWNER)
    page = console_login("csp")
    # when: markup smuggled into a page carries an inline script
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.body.append(script);
        }"""
    )
    # then
    assert page.evaluate("window.injected") is None
    assert any("script-src" in line for line in csp_log())


def test_echarts_draws_with_tooltips_under_the_policy(console_login, live_server, csp_log):
    # given: the console home, with the vendored ECharts loaded from this site
    MembershipFactory(user=UserFactory(username="csp"), shop=ShopFactory(), role=Role.OWNER)
    page = console_login("csp")
    page.add_script_tag(url=f"{live_server.url}/static/vendor/echarts/echarts.min.js")
    # when: a line chart is drawn and its tooltip shown
    page.evaluate(
        """() => {
          const box = document.createElement("div");
          box.id = "chart";
          document.querySelector("main").append(box);
          box.style.width = "600px";
          box.style.height = "300px";
          const chart = echarts.init(box);
          chart.setOption({
            tooltip: {trigger: "axis"},
            xAxis: {type: "category", data: ["周一", "周二", "周三"]},
            yAxis: {type: "value"},
            series: [{type: "line", data: [120, 200, 150]}],
          });
          chart.dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: 1});
        }"""
    )
    # then
    expect(page.locator("#chart canvas")).to_have_count(1)
    page.wait_for_timeout(300)
    assert csp_log() == []


def test_api_docs_run_without_a_csp_violation(console_login, live_server, csp_log):
    # given
    MembershipFactory(user=UserFactory(username="csp"), shop=ShopFactory(), role=Role.OWNER)
    page = console_login("csp")
    # when
    page.goto(f"{live_server.url}/api/docs/")
    # then: Swagger UI has drawn the schema's operations (building the schema takes a
    # few seconds on a busy machine)
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("xiaodian API", timeout=30_000)
    expect(page.locator(".opblock").first).to_be_visible()
    page.locator(".opblock-summary").first.click()
    page.wait_for_load_state("networkidle")
    assert csp_log() == []
