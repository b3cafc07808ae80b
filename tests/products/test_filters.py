"""The product list filters the same way in the console and the API (one FilterSet,
`products.filters.ProductFilter`)."""

import pytest
from django.urls import reverse

from products.factories import ProductFactory, SkuFactory, leaf_category
from products.models import ProductStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(owner):
    scarf = ProductFactory(
        shop=owner.shop, title="羊毛围巾", category=leaf_category("服饰内衣/服饰配件"), sku=None
    )
    SkuFactory(product=scarf, outer_code="WJ-001", stock=2)
    socks = ProductFactory(
        shop=owner.shop,
        title="棉袜",
        category=leaf_category("服饰内衣/女装"),
        status=ProductStatus.DRAFT,
        sku=None,
    )
    SkuFactory(product=socks, outer_code="MW-001", stock=200)
    kettle = ProductFactory(
        shop=owner.shop, title="电热水壶", category=leaf_category("数码家电/厨房电器"), sku=None
    )
    SkuFactory(product=kettle, outer_code="SH-9", stock=0)
    return {"scarf": scarf, "socks": socks, "kettle": kettle}


def _query(name, catalogue):
    """The query under test and the titles it should leave."""
    scarf, kettle = catalogue["scarf"], catalogue["kettle"]
    return {
        "search_code": ({"q": "WJ-0"}, {"羊毛围巾"}),
        "search_api_name": ({"search": "水壶"}, {"电热水壶"}),
        "search_id": ({"q": str(kettle.pk)}, {"电热水壶"}),
        "status": ({"status": ProductStatus.DRAFT}, {"棉袜"}),
        "first_level": ({"category": scarf.category.parent_id}, {"羊毛围巾", "棉袜"}),
        "second_level": ({"category": kettle.category_id}, {"电热水壶"}),
        "low_stock": ({"low_stock": 5}, {"羊毛围巾", "电热水壶"}),
        "combined": ({"q": "壶", "low_stock": 0}, {"电热水壶"}),
    }[name]


QUERIES = [
    "search_code",
    "search_api_name",
    "search_id",
    "status",
    "first_level",
    "second_level",
    "low_stock",
    "combined",
]


@pytest.mark.parametrize("name", QUERIES)
def test_console_and_api_list_the_same_products(client, shop_api, owner, catalogue, name):
    # given
    params, expected = _query(name, catalogue)
    client.force_login(owner.user)
    # when
    page = client.get(reverse("products:list"), params).context["page"]
    body = shop_api(owner).get("/api/v1/products/", params).json()
    # then
    assert {p.title for p in page.object_list} == expected
    assert {p["title"] for p in body["results"]} == expected


def test_export_uses_the_list_filters(client, owner, catalogue):
    # given
    client.force_login(owner.user)
    # when
    response = client.get(reverse("products:export"), {"q": "WJ-0"})
    # then
    text = response.content.decode("utf-8-sig")
    assert "羊毛围巾" in text and "电热水壶" not in text and "棉袜" not in text


def test_api_names_a_bad_filter_value(shop_api, owner):
    # given
    api = shop_api(owner)
    # when
    response = api.get("/api/v1/products/", {"low_stock": "-1"})
    # then
    assert response.status_code == 400
    assert "low_stock" in response.json()["fields"]


def test_sku_list_filters_by_product(shop_api, owner, catalogue):
    # given
    scarf = catalogue["scarf"]
    # when
    body = shop_api(owner).get("/api/v1/skus/", {"product": scarf.pk}).json()
    # then
    assert [s["outer_code"] for s in body["results"]] == ["WJ-001"]
