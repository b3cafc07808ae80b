"""Each affiliates list filters the same way in the console and the API (one FilterSet per
list, `affiliates.filters`): 选品广场, 我的橱窗 (and the public showcase), 精选联盟 offers."""

import pytest
from django.urls import reverse

from affiliates.factories import (
    AllianceItemFactory,
    AllianceOfferFactory,
    ShowcaseCategoryFactory,
)
from affiliates.models import OfferStatus
from products.factories import ProductFactory, SkuFactory, leaf_category
from products.models import Category

pytestmark = pytest.mark.django_db


def _offer(title, *, price_fen, stock, rate_bp, category):
    product = ProductFactory(title=title, sku=None, category=leaf_category(category))
    SkuFactory(product=product, price_fen=price_fen, stock=stock)
    return AllianceOfferFactory(product=product, rate_bp=rate_bp)


@pytest.fixture
def market():
    _offer("真丝衬衫", price_fen=29900, stock=5, rate_bp=3000, category="服饰内衣/女装")
    _offer("棉袜", price_fen=1990, stock=0, rate_bp=1500, category="服饰内衣/服饰配件")
    _offer("蓝牙耳机", price_fen=8900, stock=40, rate_bp=2500, category="数码家电/耳机音箱")


MARKET_QUERIES = {
    # console query, API query (the same except the rate: % typed vs basis points), titles
    "name": ({"q": "耳机"}, {"q": "耳机"}, ["蓝牙耳机"]),
    "category": (
        {"category": "服饰内衣"},
        {"category": "服饰内衣"},
        ["真丝衬衫", "棉袜"],
    ),
    "price_band": ({"price_band": "50-100"}, {"price_band": "50-100"}, ["蓝牙耳机"]),
    "min_rate": ({"min_rate": "25"}, {"min_rate_bp": 2500}, ["真丝衬衫", "蓝牙耳机"]),
    "in_stock": ({"in_stock": "on"}, {"in_stock": "true"}, ["真丝衬衫", "蓝牙耳机"]),
    "sort": ({"sort": "price"}, {"sort": "price"}, ["棉袜", "蓝牙耳机", "真丝衬衫"]),
}


def _category_ids(query):
    """A first-level category named in the query → its id."""
    if "category" not in query:
        return query
    leaf_category()  # the seeded tree
    return {**query, "category": Category.objects.get(parent=None, name=query["category"]).pk}


@pytest.mark.parametrize("name", list(MARKET_QUERIES))
def test_market_lists_the_same_offers_in_console_and_api(
    as_creator, api_as, showcase_creator, market, name
):
    # given
    console_query, api_query, expected = MARKET_QUERIES[name]
    console = as_creator(showcase_creator)
    api = api_as(showcase_creator.user)
    # when
    page = console.get(reverse("affiliates:market"), _category_ids(console_query)).context["page"]
    body = api.get("/api/v1/market/", _category_ids(api_query)).json()
    # then
    assert [o.product.title for o in page.object_list] == expected
    assert [o["title"] for o in body["results"]] == expected


def test_showcase_category_filters_console_api_and_public_page_alike(
    client, as_creator, api_as, showcase_creator
):
    # given
    summer = ShowcaseCategoryFactory(creator=showcase_creator, name="夏季")
    wanted = AllianceItemFactory(creator=showcase_creator, category=summer)
    AllianceItemFactory(creator=showcase_creator)
    console = as_creator(showcase_creator)
    query = {"category": summer.pk}
    # when
    mine = console.get(reverse("affiliates:showcase"), query).context["items"]
    body = api_as(showcase_creator.user).get("/api/v1/showcase/items/", query).json()
    public = client.get(
        reverse("showcase:public", args=[showcase_creator.douyin_id]), query
    ).context["items"]
    # then
    assert [item.pk for item in mine] == [wanted.pk]
    assert [item["id"] for item in body["results"]] == [wanted.pk]
    assert [item.pk for item in public] == [wanted.pk]


def test_offer_status_filters_console_and_api_alike(client, shop_api, owner):
    # given
    open_offer = AllianceOfferFactory(product=ProductFactory(shop=owner.shop, title="在推"))
    closed = AllianceOfferFactory(product=ProductFactory(shop=owner.shop, title="停推"))
    closed.status = OfferStatus.CLOSED
    closed.save()
    client.force_login(owner.user)
    query = {"status": OfferStatus.CLOSED}
    # when
    response = client.get(reverse("affiliates:alliance"), query)
    body = shop_api(owner).get("/api/v1/alliance/offers/", query).json()
    # then
    assert [o.pk for o in response.context["offers"]] == [closed.pk]
    assert [o["id"] for o in body["results"]] == [closed.pk]
    assert response.context["status"] == str(OfferStatus.CLOSED)
    assert open_offer.pk not in {o["id"] for o in body["results"]}
