import pytest
from django.urls import reverse

from shops.factories import CreatorFactory
from shops.models import Membership
from shops.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/me/",
        "/api/v1/shops/",
        "/api/v1/shop/settings/",
        "/api/v1/members/",
        "/api/v1/creator/",
        "/api/v1/creator/eligibility/",
    ],
)
def test_anonymous_gets_401(api_as, url):
    response = api_as().get(url)
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "fields"}


def test_token_login_and_me(api_as, owner):
    # when
    response = api_as(owner.user, token=True).get("/api/v1/me/")
    # then
    body = response.json()
    assert response.status_code == 200
    assert body["context"] == {"kind": "shop", "shop_id": owner.shop_id, "role": "owner"}
    assert body["shops"] == [{"id": owner.shop_id, "name": owner.shop.name, "role": "owner"}]


def test_obtain_token_with_password(api_as, owner):
    response = api_as().post(
        "/api/v1/auth/token/", {"username": owner.user.username, "password": "xiaodian123"}
    )
    assert response.status_code == 200 and response.json()["token"]


def test_shop_header_selects_the_shop(api_as, owner, make_member):
    # given
    second = make_member(Role.WAREHOUSE)
    Membership.objects.filter(pk=second.pk).update(user=owner.user)
    # when
    response = api_as(owner.user).get("/api/v1/shop/settings/", HTTP_X_SHOP_ID=str(second.shop_id))
    # then
    assert response.json()["id"] == second.shop_id


@pytest.mark.parametrize("header", ["{foreign}", "shop:{foreign}", "creator", "abc"])
def test_a_foreign_shop_header_is_404_and_writes_nothing(api_as, owner, other_owner, header):
    # when
    response = api_as(owner.user).patch(
        "/api/v1/shop/settings/",
        {"ship_within_hours": 72},
        format="json",
        HTTP_X_SHOP_ID=header.format(foreign=other_owner.shop_id),
    )
    # then: no fall back to the caller's own shop
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    owner.shop.refresh_from_db()
    other_owner.shop.refresh_from_db()
    assert (owner.shop.ship_within_hours, other_owner.shop.ship_within_hours) == (48, 48)


def test_a_foreign_shop_header_is_404_on_every_endpoint(api_as, owner, other_owner):
    client = api_as(owner.user)
    header = {"HTTP_X_SHOP_ID": str(other_owner.shop_id)}
    for url in ("/api/v1/me/", "/api/v1/members/", "/api/v1/products/", "/api/v1/orders/"):
        assert client.get(url, **header).status_code == 404, url


def test_foreign_shop_is_404(api_as, owner, other_owner):
    response = api_as(owner.user).get(f"/api/v1/shops/{other_owner.shop_id}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_owner_patches_settings(api_as, owner):
    response = api_as(owner.user).patch("/api/v1/shop/settings/", {"ship_within_hours": 72})
    assert response.status_code == 200
    owner.shop.refresh_from_db()
    assert owner.shop.ship_within_hours == 72


def test_bad_setting_answers_with_fields(api_as, owner):
    # when
    response = api_as(owner.user).patch(
        "/api/v1/shop/settings/", {"ship_within_hours": 1, "return_phone": "12"}, format="json"
    )
    # then
    body = response.json()
    assert response.status_code == 400
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"ship_within_hours", "return_phone"}


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.SERVICE, Role.WAREHOUSE])
def test_non_owner_cannot_patch_settings(api_as, make_member, role):
    member = make_member(role)
    response = api_as(member.user).patch("/api/v1/shop/settings/", {"ship_within_hours": 72})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.OWNER, 200), (Role.OPERATOR, 403), (Role.SERVICE, 403), (Role.WAREHOUSE, 403)],
)
def test_members_are_for_owners(api_as, make_member, role, status):
    assert api_as(make_member(role).user).get("/api/v1/members/").status_code == status


def test_owner_adds_changes_and_removes_a_member(api_as, owner):
    # given
    client = api_as(owner.user)
    newcomer = CreatorFactory().user  # any user
    # when
    added = client.post(
        "/api/v1/members/", {"username": newcomer.username, "role": "service"}, format="json"
    )
    member_id = added.json()["id"]
    changed = client.patch(f"/api/v1/members/{member_id}/", {"role": "warehouse"}, format="json")
    removed = client.delete(f"/api/v1/members/{member_id}/")
    # then
    assert (added.status_code, changed.json()["role"], removed.status_code) == (
        201,
        "warehouse",
        204,
    )
    assert not Membership.objects.filter(pk=member_id).exists()


def test_adding_unknown_user_is_a_readable_error(api_as, owner):
    response = api_as(owner.user).post(
        "/api/v1/members/", {"username": "ghost", "role": "service"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "membership_invalid",
        "message": "找不到用户“ghost”。",
        "fields": {"username": ["用户不存在。"]},
    }


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_member_of_another_shop_is_404(api_as, owner, other_owner, method):
    # when
    response = getattr(api_as(owner.user), method)(
        f"/api/v1/members/{other_owner.pk}/", {"role": "service"}, format="json"
    )
    # then
    assert response.status_code == 404
    assert Membership.objects.get(pk=other_owner.pk).role == Role.OWNER


def test_creator_profile_and_eligibility(api_as):
    # given: below the threshold here; the Douyin account meets it
    creator = CreatorFactory(douyin_id="just_eligible", followers=10)
    client = api_as(creator.user)
    # when
    before = client.get("/api/v1/creator/eligibility/").json()
    after = client.post("/api/v1/creator/eligibility/").json()
    # then: POST re-checks after fetching the account facts
    assert before == {"eligible": False, "unmet": ["粉丝数需达到 1,000，当前 10。"]}
    assert after == {"eligible": True, "unmet": []}
    body = client.get("/api/v1/creator/").json()
    assert (body["followers"], body["has_cart_permission"]) == (1000, True)


def test_creator_api_cannot_change_account_facts(api_as):
    # given
    creator = CreatorFactory(douyin_id="few_followers", followers=999, real_name_verified=False)
    client = api_as(creator.user)
    # when
    response = client.patch(
        "/api/v1/creator/profile/",
        {"nickname": "改个名", "followers": 5000, "real_name_verified": True},
        format="json",
    )
    recheck = client.post("/api/v1/creator/eligibility/").json()
    # then
    creator.refresh_from_db()
    assert response.status_code == 200
    assert (creator.nickname, creator.followers) == ("改个名", 999)
    assert recheck["eligible"] is False


def test_merchant_without_creator_profile_gets_404(api_as, owner):
    assert api_as(owner.user).get("/api/v1/creator/").status_code == 404


def test_schema_and_docs_are_served(client):
    assert client.get(reverse("schema")).status_code == 200
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
