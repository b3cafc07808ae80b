"""The creator's 数据看板 in a real browser: every chart draws (sections fetched after the
page) without console errors, a period switch reloads, a table shows its chart's
numbers, and the CSV downloads."""

import pytest
from playwright.sync_api import expect

from affiliates.factories import LiveSessionFactory, ShowcaseCreatorFactory, VideoFactory
from affiliates.ledger.factories import alliance_offer
from orders.attribution import Attribution
from orders.factories import OrderFactory
from orders.models import Channel, TrafficSource
from shops.factories import UserFactory
from tests import browser_support

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = ("trend", "commission", "channels", "videos", "lives", "items")


@pytest.fixture
def creator():
    creator = ShowcaseCreatorFactory(user=UserFactory(username="xiaomei"), nickname="小美")
    video = VideoFactory(creator=creator, title="夏日穿搭分享")
    live = LiveSessionFactory(creator=creator, title="周五晚8点专场")
    offer = alliance_offer(title="纯棉短袖T恤")
    sources = [
        (TrafficSource.SHOWCASE, {}),
        (TrafficSource.VIDEO, {"video_id": video.douyin_video_id}),
        (TrafficSource.VIDEO, {"video_id": video.douyin_video_id}),
        (TrafficSource.LIVE, {"live_room_id": str(live.pk)}),
    ]
    for source, ids in sources:
        OrderFactory(
            shop=offer.shop,
            lines=[(offer.product.skus.get().pk, 1)],
            attribution=Attribution(creator.pk, Channel.ALLIANCE, source, **ids),
        )
    return creator


def test_the_board_draws_switches_period_and_downloads_csv(creator, console_login):
    # given
    page = console_login("xiaomei")
    errors = browser_support.console_errors(page)
    # when: 数据看板 from the sidebar, then 近30天
    page.locator("nav.sidebar").get_by_role("link", name="数据看板").click()
    expect(page.locator("[data-chart=trend] canvas")).to_be_visible()
    page.locator("[data-period='30d']").click()
    page.wait_for_url("**/data/?period=30d")
    # then: every chart drew, the sections included
    for key in CHARTS:
        expect(page.locator(f"[data-chart={key}] canvas")).to_have_count(1)
    expect(page.locator("[data-figure=paid_orders] .card-value")).to_have_text("4")
    # and the channels table shows the chart's numbers (橱窗 1, 视频 2, 直播 1)
    amounts = browser_support.chart_values(page, "channels")
    assert [float(v) for v in browser_support.table_column(page, "channels", 4)] == amounts
    assert [int(v) for v in browser_support.table_column(page, "channels", 2)] == [1, 2, 1]
    expect(page.locator("[data-table=videos]")).to_contain_text("夏日穿搭分享")
    expect(page.locator("[data-table=lives]")).to_contain_text("周五晚8点专场")
    # and the CSV downloads
    text = browser_support.download_text(page, "[data-testid=csv-channels]")
    assert text.startswith("渠道,支付订单数") and browser_support.csv_column_total(text) == 4
    assert errors == []
    browser_support.screenshots(page, "creator-board")
