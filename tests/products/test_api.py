import pytest

from products.factories import ProductFactory, SkuFactory, leaf_category
from products.models import ProductStatus, StockMove
from shops.roles import Role

pytestmark = pytest.mark.django_db


def test_create_product_with_matrix_then_publish(shop_api, owner):
    # given
    client = shop_api(owner)
    body = {
        "title": "冰丝防晒开衫",
        "category": leaf_category().pk,
        "specs": [{"name": "颜色", "values": ["白", "粉"]}, {"name": "尺码", "values": ["M"]}],
        "skus": [{"spec_text": "颜色:白;尺码:M", "price_fen": 7900, "stock": 5}],
    }
    # when
    created = client.post("/api/v1/products/", body, format="json")
    published = client.post(f"/api/v1/products/{created.json()['id']}/publish/")
    # then
    assert created.status_code == 201
    assert [s["spec_text"] for s in created.json()["skus"]] == ["颜色:白;尺码:M", "颜色:粉;尺码:M"]
    assert published.status_code == 200 and published.json()["status"] == ProductStatus.ON_SALE


def test_publish_refusal_is_a_400_with_the_reason(shop_api, owner):
    # given
    product = ProductFactory(shop=owner.shop, status=ProductStatus.DRAFT, sku=None)
    SkuFactory(product=product, price_fen=None)
    # when
    response = shop_api(owner).post(f"/api/v1/products/{product.pk}/publish/")
    # then
    assert response.status_code == 400
    assert response.json()["code"] == "publish_refused"
    assert "都还没有设置价格" in response.json()["message"]


def test_list_filters_and_has_a_query_budget(shop_api, owner, django_assert_max_num_queries):
    # given
    for n in range(10):
        ProductFactory(shop=owner.shop, title=f"商品{n}")
    ProductFactory(shop=owner.shop, title="草稿品", status=ProductStatus.DRAFT)
    # when
    with django_assert_max_num_queries(10):
        response = shop_api(owner).get("/api/v1/products/", {"status": ProductStatus.DRAFT})
    # then
    assert [p["title"] for p in response.json()["results"]] == ["草稿品"]


def test_warehouse_cannot_change_price_through_the_api(shop_api, make_member):
    # given
    member = make_member(Role.WAREHOUSE)
    sku = SkuFactory(product=ProductFactory(shop=member.shop, sku=None), price_fen=1000)
    # when
    response = shop_api(member).patch(f"/api/v1/skus/{sku.pk}/", {"price_fen": 1}, format="json")
    # then
    assert response.status_code == 403
    sku.refresh_from_db()
    assert sku.price_fen == 1000


def test_warehouse_adjusts_stock_through_the_api(shop_api, make_member):
    # given
    member = make_member(Role.WAREHOUSE)
    sku = SkuFactory(product=ProductFactory(shop=member.shop, sku=None), stock=1)
    # when
    response = shop_api(member).post(
        f"/api/v1/skus/{sku.pk}/stock-adjust/", {"delta": 4, "note": "到货"}, format="json"
    )
    # then
    assert response.status_code == 200 and response.json()["stock"] == 5
    assert StockMove.objects.get(sku=sku).actor_id == member.user_id


def test_operator_changes_price(shop_api, make_member):
    # given
    member = make_member(Role.OPERATOR)
    sku = SkuFactory(product=ProductFactory(shop=member.shop, sku=None), price_fen=1000)
    # when
    response = shop_api(member).patch(f"/api/v1/skus/{sku.pk}/", {"price_fen": 990}, format="json")
    # then
    assert response.status_code == 200 and response.json()["price_fen"] == 990


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/products/{product}/"),
        ("patch", "/api/v1/products/{product}/"),
        ("get", "/api/v1/skus/{sku}/"),
        ("post", "/api/v1/skus/{sku}/stock-adjust/"),
    ],
)
def test_another_shops_objects_are_404(shop_api, owner, other_owner, method, url):
    # given
    foreign = ProductFactory(shop=other_owner.shop)
    target = url.format(product=foreign.pk, sku=foreign.skus.get().pk)
    # when
    response = getattr(shop_api(owner), method)(target, {"delta": 1, "note": "x"}, format="json")
    # then
    assert response.status_code == 404


def test_list_does_not_show_another_shops_products(shop_api, owner, other_owner):
    # given
    ProductFactory(shop=other_owner.shop, title="别人的商品")
    # when
    response = shop_api(owner).get("/api/v1/products/")
    # then
    assert response.json()["count"] == 0
