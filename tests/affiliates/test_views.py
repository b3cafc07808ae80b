import pytest
from django.urls import reverse

from affiliates.factories import (
    AllianceItemFactory,
    AllianceOfferFactory,
    ExternalItemFactory,
    ShowcaseCreatorFactory,
)
from affiliates.models import AllianceOffer, ShowcaseItem
from affiliates.services import live_set_explaining
from products.factories import ProductFactory
from shops.factories import CreatorFactory

pytestmark = pytest.mark.django_db


def test_a_creator_without_cart_permission_sees_the_unmet_conditions(as_creator):
    # given
    client = as_creator(CreatorFactory(followers=12, public_original_videos=3))
    # when
    response = client.get(reverse("affiliates:showcase"))
    # then
    assert response.status_code == 403
    text = response.content.decode()
    assert "粉丝数需达到 1,000，当前 12。" in text
    assert "公开且原创的视频需达到 10 条，当前 3 条。" in text


def test_showcase_lists_items_within_a_query_budget(as_creator, django_assert_max_num_queries):
    # given: ten items from two sources
    creator = ShowcaseCreatorFactory()
    for _ in range(5):
        AllianceItemFactory(creator=creator)
        ExternalItemFactory(creator=creator)
    client = as_creator(creator)
    # when
    with django_assert_max_num_queries(14):
        response = client.get(reverse("affiliates:showcase"))
    # then
    assert response.status_code == 200
    assert response.content.decode().count("data-item=") == 10


def test_market_lists_a_page_within_a_query_budget(as_creator, django_assert_max_num_queries):
    # given
    for _ in range(25):
        AllianceOfferFactory()
    client = as_creator(ShowcaseCreatorFactory())
    # when
    with django_assert_max_num_queries(14):
        response = client.get(reverse("affiliates:market"), {"sort": "price"})
    # then
    assert response.content.decode().count("data-offer=") == 20
    assert "第 1 / 2 页" in response.content.decode()


def test_adding_from_the_market_puts_the_offer_in_the_showcase(as_creator):
    # given
    creator = ShowcaseCreatorFactory()
    offer = AllianceOfferFactory(rate_bp=2500)
    # when
    response = as_creator(creator).post(
        reverse("affiliates:market_add", args=[offer.pk]), {"query": "sort=rate"}
    )
    # then
    assert response.url == reverse("affiliates:market") + "?sort=rate"
    assert ShowcaseItem.objects.get(creator=creator).rate_bp == 2500


def test_a_refused_link_shows_every_failed_rule_on_the_form(as_creator):
    # given
    client = as_creator(ShowcaseCreatorFactory())
    # when
    response = client.post(
        reverse("affiliates:showcase_add"),
        {"text": "https://item.taobao.com/item.htm?id=790123456780"},
    )
    # then
    text = response.content.decode()
    assert "描述相符评分 4.76 未高于行业平均 4.76" in text
    assert "服务态度评分" in text and "物流服务评分" in text
    assert not ShowcaseItem.objects.exists()


def test_another_creators_objects_are_404_in_the_console(as_creator, other_creators_showcase):
    # given
    item, video, session = other_creators_showcase
    client = as_creator(ShowcaseCreatorFactory())
    # then
    assert client.get(reverse("affiliates:videos_detail", args=[video.pk])).status_code == 404
    assert client.get(reverse("affiliates:lives_detail", args=[session.pk])).status_code == 404
    remove = reverse("affiliates:showcase_item_remove", args=[item.pk])
    assert client.post(remove).status_code == 404
    assert ShowcaseItem.objects.filter(pk=item.pk).exists()
    move = reverse("affiliates:showcase_item_move", args=[item.pk, "up"])
    assert client.post(move).status_code == 404


def test_merchant_opens_an_offer_from_the_console(client, owner):
    # given
    product = ProductFactory(shop=owner.shop)
    client.force_login(owner.user)
    # when
    response = client.post(
        reverse("affiliates:alliance"), {"product": product.pk, "rate_bp": "12.5"}
    )
    # then
    assert response.status_code == 302
    assert AllianceOffer.objects.get(product=product).rate_bp == 1250


def test_merchant_cannot_see_another_shops_offer(client, owner, other_shops_offer):
    # given
    offer = other_shops_offer
    client.force_login(owner.user)
    # then
    url = reverse("affiliates:alliance_detail", args=[offer.pk])
    assert client.get(url).status_code == 404
    assert client.post(reverse("affiliates:alliance_close", args=[offer.pk])).status_code == 404
    offer.refresh_from_db()
    assert offer.status == 1


def test_the_public_page_shows_recommended_first_with_yuan_prices(client):
    # given
    creator = ShowcaseCreatorFactory(nickname="小美")
    ExternalItemFactory(creator=creator, title="普通商品", price_fen=5990)
    ExternalItemFactory(creator=creator, title="推荐商品", price_fen=12900, recommended=True)
    # when
    response = client.get(reverse("showcase:public", args=[creator.douyin_id]))
    # then
    text = response.content.decode()
    assert "小美" in text
    assert text.index("推荐商品") < text.index("普通商品")
    assert "¥129.00" in text and "¥59.90" in text


def test_the_public_page_of_a_creator_without_a_showcase_is_404(client):
    creator = CreatorFactory()
    assert client.get(reverse("showcase:public", args=[creator.douyin_id])).status_code == 404


def test_each_public_item_has_a_stable_page(client):
    # given
    item = ExternalItemFactory(title="京东好物")
    # when
    response = client.get(reverse("showcase:item", args=[item.creator.douyin_id, item.pk]))
    # then
    assert response.status_code == 200
    assert "京东好物" in response.content.decode()


def test_cancel_explaining_shows_only_on_the_item_being_explained(
    as_creator, creator_context, showcase_creator, live_cart
):
    # given: a live cart of two items, nothing explained yet
    session, first, second = live_cart
    client = as_creator(showcase_creator)
    url = reverse("affiliates:lives_detail", args=[session.pk])
    # then
    assert "取消讲解" not in client.get(url).content.decode()
    # when: the second item is being explained
    live_set_explaining(
        context=creator_context(showcase_creator), session_id=session.pk, item_id=second.item_id
    )
    html = client.get(url).content.decode()
    # then: one 取消讲解, in that item's row, which has no 讲解 button of its own
    assert html.count("取消讲解") == 1
    row = html.split(f'data-live-item="{second.item_id}"')[1].split("</tr>")[0]
    assert "取消讲解" in row and ">讲解<" not in row
    assert f'data-live-item="{first.item_id}"' in html
