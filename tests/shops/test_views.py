import pytest
from django.urls import reverse

from shops.factories import CreatorFactory, UserFactory
from shops.models import Membership
from shops.roles import Role
from shops.services import creator_check_eligibility

pytestmark = pytest.mark.django_db

CONSOLE_PAGES = ["console:home", "console:settings", "console:settings_members"]


@pytest.fixture
def as_member(client):
    def login(membership):
        client.force_login(membership.user)
        return client

    return login


@pytest.mark.parametrize("name", CONSOLE_PAGES)
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_home_shows_shop_and_sidebar(as_member, owner, django_assert_max_num_queries):
    # given
    client = as_member(owner)
    # when
    with django_assert_max_num_queries(8):
        response = client.get(reverse("console:home"))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert owner.shop.name in html
    assert "店铺设置" in html and "承诺发货时效" in html


def test_switching_shop_is_remembered(as_member, owner, make_member):
    # given
    second = make_member(Role.SERVICE)
    Membership.objects.filter(pk=second.pk).update(user=owner.user)
    client = as_member(owner)
    # when
    client.post(reverse("console:switch"), {"context": f"shop:{second.shop_id}"})
    response = client.get(reverse("console:home"))
    # then
    assert response.context["console"].shop == second.shop
    assert "客服" in response.content.decode()


def test_switching_to_a_foreign_shop_is_ignored(as_member, owner, other_owner):
    client = as_member(owner)
    client.post(reverse("console:switch"), {"context": f"shop:{other_owner.shop_id}"})
    assert client.get(reverse("console:home")).context["console"].shop == owner.shop


def test_owner_saves_settings(as_member, owner):
    # given
    data = {
        "name": "新名字",
        "status": 1,
        "return_phone": "13900001111",
        "unpaid_cancel_minutes": 45,
        "auto_confirm_days": 10,
        "ship_within_hours": 24,
    }
    # when
    response = as_member(owner).post(reverse("console:settings"), data)
    # then
    assert response.status_code == 302
    owner.shop.refresh_from_db()
    assert (owner.shop.name, owner.shop.ship_within_hours) == ("新名字", 24)


def test_bad_setting_is_shown_on_the_field(as_member, owner):
    response = as_member(owner).post(
        reverse("console:settings"),
        {
            "name": "x",
            "status": 1,
            "return_phone": "123",
            "unpaid_cancel_minutes": 30,
            "auto_confirm_days": 15,
            "ship_within_hours": 48,
        },
    )
    assert response.status_code == 200
    assert "请输入 11 位手机号" in response.content.decode()


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.SERVICE, Role.WAREHOUSE])
def test_non_owner_sees_settings_read_only_and_cannot_post(as_member, make_member, role):
    # given
    member = make_member(role)
    client = as_member(member)
    # when
    page = client.get(reverse("console:settings"))
    refused = client.post(reverse("console:settings"), {"name": "抢改"})
    # then
    assert page.status_code == 200 and "只有店主可以修改" in page.content.decode()
    assert refused.status_code == 403
    member.shop.refresh_from_db()
    assert member.shop.name != "抢改"


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.OWNER, 200), (Role.OPERATOR, 403), (Role.SERVICE, 403), (Role.WAREHOUSE, 403)],
)
def test_members_page_is_for_owners(as_member, make_member, role, status):
    assert (
        as_member(make_member(role)).get(reverse("console:settings_members")).status_code == status
    )


def test_owner_adds_a_member(as_member, owner):
    # given
    newcomer = UserFactory(username="xiaowang")
    # when
    response = as_member(owner).post(
        reverse("console:settings_members"), {"username": "xiaowang", "role": Role.WAREHOUSE}
    )
    # then
    assert response.status_code == 302
    assert Membership.objects.get(user=newcomer).role == Role.WAREHOUSE


def test_adding_an_unknown_user_names_it(as_member, owner):
    response = as_member(owner).post(
        reverse("console:settings_members"), {"username": "ghost", "role": Role.SERVICE}
    )
    assert "找不到用户“ghost”" in response.content.decode()


@pytest.mark.parametrize(
    "action", ["console:settings_member_role", "console:settings_member_remove"]
)
def test_member_of_another_shop_is_404(as_member, owner, other_owner, action):
    # when
    response = as_member(owner).post(reverse(action, args=[other_owner.pk]), {"role": Role.SERVICE})
    # then
    assert response.status_code == 404
    other_owner.refresh_from_db()
    assert other_owner.role == Role.OWNER


def test_user_without_shop_or_creator_sees_explanation(client):
    client.force_login(UserFactory())
    response = client.get(reverse("console:home"))
    assert response.status_code == 403
    assert "还没有加入任何店铺" in response.content.decode()


def test_creator_sees_unmet_conditions_and_rechecks(client):
    # given: a creator below the threshold
    creator = CreatorFactory(followers=200, phone_bound=False)
    creator_check_eligibility(creator=creator)
    client.force_login(creator.user)
    # when
    page = client.get(reverse("console:home")).content.decode()
    # then
    assert "粉丝数需达到 1,000，当前 200。" in page and "账号需绑定手机号。" in page
    # when: the profile is fixed and re-checked
    client.post(
        reverse("console:creator_profile"),
        {
            "nickname": creator.nickname,
            "followers": 1500,
            "public_original_videos": 12,
            "phone_bound": "on",
            "real_name_verified": "on",
        },
    )
    client.post(reverse("console:creator_recheck"))
    # then
    creator.refresh_from_db()
    assert creator.has_cart_permission
    assert "已开通" in client.get(reverse("console:home")).content.decode()


def test_merchant_cannot_open_creator_pages(as_member, owner):
    response = as_member(owner).post(reverse("console:creator_recheck"))
    assert response.status_code == 302
    assert response.url == reverse("console:home")


def test_login_is_throttled_after_repeated_failures(client, settings):
    # given
    UserFactory(username="target")
    # when
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "target", "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "target", "password": "xiaodian123"})
    # then
    assert locked.status_code == 429
    assert "登录尝试过多" in locked.content.decode()


def test_login_with_the_right_password_lands_on_home(client):
    UserFactory(username="rightful")
    response = client.post(reverse("login"), {"username": "rightful", "password": "xiaodian123"})
    assert response.status_code == 302
    assert response.url == reverse("console:home")
