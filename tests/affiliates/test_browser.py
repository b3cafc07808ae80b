import pytest
from playwright.sync_api import expect

from affiliates.factories import (
    AllianceOfferFactory,
    ExternalItemFactory,
    LiveItemFactory,
    LiveSessionFactory,
    ShowcaseCreatorFactory,
)
from products.factories import ProductFactory
from shops.factories import CreatorFactory, MembershipFactory, ShopFactory, UserFactory
from tests.browser_support import fill_and_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_add_an_alliance_product_and_an_external_link_to_the_showcase(console_login, live_server):
    # given: an eligible creator and a shop's product open to 精选联盟
    creator = ShowcaseCreatorFactory(user=UserFactory(username="xiaomei"), nickname="小美")
    shop = ShopFactory(name="潮流服饰旗舰店")
    AllianceOfferFactory(product=ProductFactory(shop=shop, title="法式碎花连衣裙"), rate_bp=2500)
    page = console_login("xiaomei")
    # when: picking it in 选品广场
    page.locator("nav.sidebar").get_by_role("link", name="选品广场").click()
    expect(page.locator("h1")).to_contain_text("选品广场")
    card = page.locator("[data-offer]", has_text="法式碎花连衣裙")
    expect(card).to_contain_text("佣金 25%")
    page.screenshot(path="test-results/affiliates-market.png", full_page=True)
    card.get_by_role("button", name="加入橱窗").click()
    # then
    expect(page.locator(".flash")).to_contain_text("已加入橱窗")
    expect(card.get_by_role("button", name="已在橱窗")).to_be_disabled()
    # when: pasting a 淘宝 link that fails the quality gate, then a good 京东 link
    page.locator("nav.sidebar").get_by_role("link", name="我的橱窗").click()
    page.get_by_role("link", name="添加商品").click()
    button = "识别并加入橱窗"
    fill_and_submit(page, "#id_text", "https://item.taobao.com/item.htm?id=723456789012", button)
    expect(page.locator(".form-errors")).to_contain_text("描述相符评分 4.71 未高于行业平均 4.78")
    page.screenshot(path="test-results/affiliates-add-refused.png", full_page=True)
    fill_and_submit(
        page, "#id_text", "看看这个 https://item.jd.com/100012043978.html 很好用", button
    )
    # then: both are in 我的橱窗 with their sources
    expect(page.locator("h1")).to_contain_text("我的橱窗")
    rows = page.locator("tr[data-item]")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="法式碎花连衣裙")).to_contain_text("精选联盟")
    expect(rows.filter(has_text="飞利浦电动牙刷")).to_contain_text("¥199.00")
    page.screenshot(path="test-results/affiliates-showcase.png", full_page=True)
    # and the buyer's page shows them without a login
    page.goto(f"{live_server.url}/s/{creator.douyin_id}/")
    expect(page.locator(".sf-head h1")).to_have_text("小美")
    expect(page.locator("[data-item]")).to_have_count(2)
    page.screenshot(path="test-results/affiliates-public.png", full_page=True)


def test_attach_items_to_a_video(console_login):
    # given: a showcase of three items
    creator = ShowcaseCreatorFactory(user=UserFactory(username="aqiang"))
    for title in ("小熊电饭煲", "金龙鱼大米", "飞利浦牙刷"):
        ExternalItemFactory(creator=creator, title=title)
    page = console_login("aqiang")
    # when: registering a video
    page.locator("nav.sidebar").get_by_role("link", name="视频").click()
    page.fill("#id_title", "百元好物测评第12期")
    page.fill("#id_douyin_video_id", "7323456789012345678")
    page.fill("#id_published_at", "2026-11-20T20:00")
    page.get_by_role("button", name="添加视频").click()
    # and attaching two items
    expect(page.get_by_test_id("video-count")).to_have_text("0 / 7")
    for title in ("小熊电饭煲", "飞利浦牙刷"):
        page.select_option("#id_item", label=title)
        page.get_by_role("button", name="挂车").click()
        expect(page.locator(".flash")).to_contain_text("已挂车")
    # then
    expect(page.get_by_test_id("video-count")).to_have_text("2 / 7")
    expect(page.locator("table")).to_contain_text("小熊电饭煲")
    page.screenshot(path="test-results/affiliates-video.png", full_page=True)
    page.locator("nav.sidebar").get_by_role("link", name="视频").click()
    expect(page.locator("table")).to_contain_text("2 / 7")
    page.screenshot(path="test-results/affiliates-videos.png", full_page=True)


def test_mark_an_item_explaining_in_a_live(console_login):
    # given
    creator = ShowcaseCreatorFactory(user=UserFactory(username="zhubo"))
    session = LiveSessionFactory(creator=creator, title="周五晚8点上新专场")
    first = LiveItemFactory(session=session, item__title="冰丝阔腿裤", is_explaining=True)
    LiveItemFactory(session=session, item__title="纯棉四件套")
    page = console_login("zhubo")
    # when
    page.locator("nav.sidebar").get_by_role("link", name="直播").click()
    page.get_by_role("link", name="周五晚8点上新专场").click()
    page.locator("tr", has_text="纯棉四件套").get_by_role("button", name="讲解").click()
    # then
    expect(page.locator("tr.aff-row-explaining")).to_have_count(1)
    expect(page.locator("tr.aff-row-explaining")).to_contain_text("纯棉四件套")
    expect(page.locator(f"tr[data-live-item='{first.item_id}']")).not_to_contain_text("正在讲解")
    page.screenshot(path="test-results/affiliates-live.png", full_page=True)


def test_merchant_opens_a_product_to_the_alliance(console_login):
    # given
    user = UserFactory(username="dianzhu")
    shop = ShopFactory(name="鲜果食品专营店")
    MembershipFactory(user=user, shop=shop)
    ProductFactory(shop=shop, title="赣南脐橙 5斤装")
    page = console_login("dianzhu")
    # when
    page.locator("nav.sidebar").get_by_role("link", name="精选联盟").click()
    page.select_option("#id_product", label="赣南脐橙 5斤装")
    page.fill("#id_rate_bp", "20")
    page.get_by_role("button", name="开放推广").click()
    # then
    row = page.locator("tr[data-offer]", has_text="赣南脐橙")
    expect(row).to_contain_text("20%")
    expect(row).to_contain_text("推广中")
    page.screenshot(path="test-results/affiliates-alliance.png", full_page=True)
    # when: changing the rate
    row.get_by_role("link", name="修改 / 关闭").click()
    page.fill("#id_rate_bp", "25")
    page.get_by_role("button", name="保存").click()
    # then: the history keeps both rates
    expect(page.locator(".flash")).to_contain_text("只对此后的新订单生效")
    expect(page.locator("section", has_text="佣金率记录").locator("tbody tr")).to_have_count(2)
    page.screenshot(path="test-results/affiliates-alliance-detail.png", full_page=True)


def test_a_creator_without_cart_permission_sees_what_is_missing(console_login):
    # given
    CreatorFactory(user=UserFactory(username="xiaolin"), followers=560, public_original_videos=6)
    page = console_login("xiaolin")
    # when
    page.locator("nav.sidebar").get_by_role("link", name="我的橱窗").click()
    # then
    expect(page.get_by_test_id("showcase-unavailable")).to_contain_text("粉丝数需达到 1,000")
    page.screenshot(path="test-results/affiliates-unavailable.png", full_page=True)
