import pytest

from affiliates.factories import (
    AllianceOfferFactory,
    ExternalItemFactory,
    LiveItemFactory,
    LiveSessionFactory,
    VideoFactory,
    VideoItemFactory,
)
from affiliates.models import AllianceOffer, ShowcaseItem
from products.factories import ProductFactory
from shops.factories import CreatorFactory
from shops.roles import Role

pytestmark = pytest.mark.django_db

ITEMS = "/api/v1/showcase/items/"


@pytest.fixture
def creator_api(api_as, showcase_creator):
    return api_as(showcase_creator.user)


def test_add_from_link_returns_the_new_item(creator_api):
    # when
    response = creator_api.post(
        f"{ITEMS}from-link/", {"text": "复制这段描述￥7uRz3KqW2mH￥后到淘宝"}, format="json"
    )
    # then
    assert response.status_code == 201
    body = response.json()
    assert (body["source"], body["external_item_id"], body["price_fen"]) == (
        "taobao",
        "678901234567",
        19900,
    )
    assert body["public_url"].endswith(f"/items/{body['id']}/")


def test_a_refused_link_answers_400_with_every_rule(creator_api):
    # when
    response = creator_api.post(
        f"{ITEMS}from-link/",
        {"text": "https://item.taobao.com/item.htm?id=790123456780"},
        format="json",
    )
    # then
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "quality_gate_refused"
    assert len(body["fields"]["text"]) == 3


def test_an_unrecognised_link_names_the_accepted_forms(creator_api):
    response = creator_api.post(f"{ITEMS}from-link/", {"text": "随便写写"}, format="json")
    assert response.status_code == 400
    assert "item.jd.com" in response.json()["message"]


def test_add_from_alliance_and_list(creator_api):
    # given
    offer = AllianceOfferFactory(rate_bp=3300)
    # when
    created = creator_api.post(f"{ITEMS}from-alliance/", {"offer": offer.pk}, format="json")
    listed = creator_api.get(ITEMS)
    # then
    assert created.status_code == 201
    assert [(i["source"], i["rate_bp"], i["price_fen"]) for i in listed.json()["results"]] == [
        ("alliance", 3300, 9900)
    ]


def test_patch_sets_recommended_and_new(creator_api, showcase_creator):
    item = ExternalItemFactory(creator=showcase_creator)
    response = creator_api.patch(
        f"{ITEMS}{item.pk}/", {"recommended": True, "is_new": True}, format="json"
    )
    assert (response.json()["recommended"], response.json()["is_new"]) == (True, True)


def test_the_eighth_video_item_answers_400_with_the_reason(creator_api, showcase_creator):
    # given
    video = VideoFactory(creator=showcase_creator)
    for _ in range(7):
        VideoItemFactory(video=video)
    extra = ExternalItemFactory(creator=showcase_creator)
    # when
    response = creator_api.post(
        f"/api/v1/videos/{video.pk}/items/", {"item": extra.pk}, format="json"
    )
    # then
    assert response.status_code == 400
    assert response.json()["code"] == "video_cart_full"
    assert "最多挂 7 件商品" in response.json()["message"]


def test_explaining_moves_from_one_item_to_another(creator_api, showcase_creator):
    # given
    session = LiveSessionFactory(creator=showcase_creator)
    first = LiveItemFactory(session=session, is_explaining=True)
    second = LiveItemFactory(session=session)
    # when
    response = creator_api.post(
        f"/api/v1/lives/{session.pk}/explaining/", {"item": second.item_id}, format="json"
    )
    # then
    explaining = {i["item"]: i["is_explaining"] for i in response.json()["items"]}
    assert explaining == {first.item_id: False, second.item_id: True}


def test_another_creators_objects_are_404(creator_api, other_creators_showcase):
    # given
    item, video, session = other_creators_showcase
    # then
    assert creator_api.get(f"{ITEMS}{item.pk}/").status_code == 404
    assert creator_api.delete(f"{ITEMS}{item.pk}/").status_code == 404
    assert creator_api.get(f"/api/v1/videos/{video.pk}/").status_code == 404
    response = creator_api.post(f"/api/v1/lives/{session.pk}/explaining/", {"item": item.pk})
    assert response.status_code == 404
    assert ShowcaseItem.objects.filter(pk=item.pk).exists()


def test_a_creator_without_cart_permission_gets_the_unmet_conditions(api_as):
    # given
    client = api_as(CreatorFactory(phone_bound=False).user)
    # when
    response = client.get(ITEMS)
    # then
    assert response.status_code == 400
    assert response.json()["code"] == "showcase_unavailable"
    assert "账号需绑定手机号。" in response.json()["message"]


def test_showcase_endpoints_do_not_exist_for_a_shop(shop_api, owner):
    assert shop_api(owner).get(ITEMS).status_code == 404


def test_market_filters_and_sorts(creator_api):
    # given
    AllianceOfferFactory(rate_bp=1000)
    high = AllianceOfferFactory(rate_bp=4000)
    # when
    response = creator_api.get("/api/v1/market/", {"min_rate_bp": 2000, "sort": "rate"})
    # then
    assert [o["id"] for o in response.json()["results"]] == [high.pk]


def test_merchant_opens_changes_and_closes_an_offer(shop_api, owner):
    # given
    client = shop_api(owner)
    product = ProductFactory(shop=owner.shop)
    # when
    created = client.post(
        "/api/v1/alliance/offers/", {"product": product.pk, "rate_bp": 2000}, format="json"
    )
    offer_url = f"/api/v1/alliance/offers/{created.json()['id']}/"
    client.patch(offer_url, {"rate_bp": 2600}, format="json")
    closed = client.post(f"{offer_url}close/")
    rates = client.get(f"{offer_url}rates/")
    # then
    assert created.status_code == 201
    assert closed.json()["status"] == 2
    assert [r["rate_bp"] for r in rates.json()] == [2600, 2000]


def test_merchant_cannot_manage_another_shops_offer(shop_api, owner, other_shops_offer):
    # given
    offer = other_shops_offer
    client = shop_api(owner)
    # then
    url = f"/api/v1/alliance/offers/{offer.pk}/"
    assert client.patch(url, {"rate_bp": 100}, format="json").status_code == 404
    assert client.post(f"{url}close/").status_code == 404
    assert AllianceOffer.objects.get(pk=offer.pk).rate_bp == 2000


def test_a_role_without_alliance_permission_gets_403(shop_api, make_member):
    member = make_member(Role.WAREHOUSE)
    assert shop_api(member).get("/api/v1/alliance/offers/").status_code == 403
