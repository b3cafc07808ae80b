import pytest
from django.urls import reverse

from shops.factories import CreatorFactory, UserFactory
from shops.models import Membership
from shops.roles import Role
from shops.services import SHOP_SETTINGS_FIELDS, creator_check_eligibility
from shops.tenancy import SESSION_KEY

pytestmark = pytest.mark.django_db

CONSOLE_PAGES = ["console:home", "console:settings", "console:settings_members"]


@pytest.mark.parametrize("name", CONSOLE_PAGES)
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_language_menu_names_each_language_in_itself(as_member, owner, language):
    # given
    client = as_member(owner)
    # when
    html = client.get(reverse("console:home"), headers={"accept-language": language})
    # then: whatever the page's language, each choice reads in its own
    page = html.content.decode()
    assert 'lang="zh-hans" class="link-button' in page and ">简体中文</button>" in page
    assert 'lang="en" class="link-button' in page and ">English</button>" in page


def test_every_page_names_a_favicon(client):
    # when
    page = client.get(reverse("login")).content.decode()
    # then
    assert 'rel="icon" href="/static/favicon.svg"' in page


def test_home_shows_shop_and_sidebar(as_member, owner, django_assert_max_num_queries):
    # given
    client = as_member(owner)
    # when
    # session, user, membership, creator, then a query or two per app's 首页 cards
    # (members, orders with deadlines and compensation, stats ×2, paused webhooks,
    # logistics)
    with django_assert_max_num_queries(10):
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


def test_switching_to_a_foreign_shop_is_404_and_keeps_the_choice(
    as_member, owner, make_member, other_owner
):
    # given: the owner works in their second shop
    second = make_member(Role.SERVICE)
    Membership.objects.filter(pk=second.pk).update(user=owner.user)
    client = as_member(owner)
    client.post(reverse("console:switch"), {"context": f"shop:{second.shop_id}"})
    # when
    response = client.post(reverse("console:switch"), {"context": f"shop:{other_owner.shop_id}"})
    # then
    assert response.status_code == 404
    assert client.session[SESSION_KEY] == f"shop:{second.shop_id}"
    assert client.get(reverse("console:home")).context["console"].shop == second.shop


def test_a_remembered_shop_the_user_left_is_404_and_writes_nothing(as_member, owner, make_member):
    # given: the owner chose their second shop, then was removed from it
    second = make_member(Role.OWNER)
    Membership.objects.filter(pk=second.pk).update(user=owner.user)
    client = as_member(owner)
    client.post(reverse("console:switch"), {"context": f"shop:{second.shop_id}"})
    Membership.objects.filter(pk=second.pk).delete()
    # when: a settings form meant for that shop is posted
    data = {name: getattr(second.shop, name) for name in SHOP_SETTINGS_FIELDS}
    response = client.post(reverse("console:settings"), {**data, "name": "改错店了"})
    # then: refused, neither shop changed; the next page starts from the first shop
    assert response.status_code == 404
    owner.shop.refresh_from_db()
    second.shop.refresh_from_db()
    assert "改错店了" not in (owner.shop.name, second.shop.name)
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
    # given: a creator below the threshold here, whose Douyin account now meets it
    creator = CreatorFactory(douyin_id="just_eligible", followers=200, phone_bound=False)
    creator_check_eligibility(creator=creator)
    client.force_login(creator.user)
    home = client.get(reverse("console:home")).content.decode()
    assert "粉丝数需达到 1,000，当前 200。" in home
    assert "账号需绑定手机号。" in home
    # when: 重新检测 fetches the account facts from Douyin
    client.post(reverse("console:creator_recheck"))
    # then
    creator.refresh_from_db()
    assert (creator.followers, creator.phone_bound) == (1000, True)
    assert creator.has_cart_permission
    assert "已开通" in client.get(reverse("console:home")).content.decode()


def test_creator_cannot_set_their_own_account_facts(client):
    # given: a creator below the threshold, unknown to... nothing: the account says 999
    creator = CreatorFactory(douyin_id="few_followers", followers=999, phone_bound=False)
    client.force_login(creator.user)
    # when: they post the facts that would make them eligible, then re-check
    response = client.post(
        reverse("console:creator_profile"),
        {
            "nickname": "新昵称",
            "followers": 500000,
            "public_original_videos": 300,
            "phone_bound": "on",
            "real_name_verified": "on",
        },
    )
    client.post(reverse("console:creator_recheck"))
    # then: only the nickname changed by their hand; the facts are Douyin's
    creator.refresh_from_db()
    assert response.status_code == 302
    assert creator.nickname == "新昵称"
    assert (creator.followers, creator.public_original_videos) == (999, 10)
    assert not creator.has_cart_permission


def test_recheck_of_an_account_douyin_does_not_know_says_so(client):
    creator = CreatorFactory(douyin_id="no_such_account", followers=10)
    client.force_login(creator.user)
    response = client.post(reverse("console:creator_recheck"), follow=True)
    assert "查询不到抖音号“no_such_account”" in response.content.decode()
    creator.refresh_from_db()
    assert creator.followers == 10 and not creator.has_cart_permission


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
