import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from core.exceptions import PermissionRefused
from shops import services
from shops.exceptions import MembershipError
from shops.factories import CreatorFactory, UserFactory
from shops.models import AccountChangeSource, Membership, Shop
from shops.roles import Role
from shops.selectors import creator_eligibility

pytestmark = pytest.mark.django_db


def test_shop_create_makes_the_creator_its_owner():
    # given
    user = UserFactory()
    # when
    shop = services.shop_create(name="新店", slug="xin-dian", owner=user)
    # then
    membership = Membership.objects.get(shop=shop)
    assert (membership.user, membership.role) == (user, Role.OWNER)
    assert (shop.unpaid_cancel_minutes, shop.auto_confirm_days, shop.ship_within_hours) == (
        30,
        15,
        48,
    )


def test_owner_updates_shop_settings(owner, context_for):
    # when
    services.shop_update_settings(
        context=context_for(owner), data={"ship_within_hours": 24, "name": "改名小店"}
    )
    # then
    owner.shop.refresh_from_db()
    assert (owner.shop.ship_within_hours, owner.shop.name) == (24, "改名小店")


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.SERVICE, Role.WAREHOUSE])
def test_non_owner_cannot_update_shop_settings(make_member, context_for, role):
    # given
    member = make_member(role)
    # when / then
    with pytest.raises(PermissionRefused):
        services.shop_update_settings(context=context_for(member), data={"ship_within_hours": 24})
    member.shop.refresh_from_db()
    assert member.shop.ship_within_hours == 48


def test_invalid_setting_is_refused_and_nothing_saved(owner, context_for):
    # when
    with pytest.raises(ValidationError) as error:
        services.shop_update_settings(
            context=context_for(owner), data={"ship_within_hours": 2, "name": "半截"}
        )
    # then
    assert "ship_within_hours" in error.value.message_dict
    owner.shop.refresh_from_db()
    assert owner.shop.name != "半截"


def test_member_add_names_an_unknown_user(owner, context_for):
    with pytest.raises(MembershipError, match="nobody"):
        services.member_add(context=context_for(owner), username="nobody", role=Role.SERVICE)


def test_member_add_refuses_an_existing_member(owner, context_for):
    with pytest.raises(MembershipError, match="已是本店成员"):
        services.member_add(
            context=context_for(owner), username=owner.user.username, role=Role.SERVICE
        )


def test_member_add_adds_with_role(owner, context_for):
    # given
    user = UserFactory()
    # when
    services.member_add(context=context_for(owner), username=user.username, role=Role.WAREHOUSE)
    # then
    assert Membership.objects.get(user=user, shop=owner.shop).role == Role.WAREHOUSE


def test_last_owner_cannot_be_demoted(owner, context_for):
    with pytest.raises(MembershipError, match="至少需要一位店主"):
        services.member_change_role(
            context=context_for(owner), membership_id=owner.pk, role=Role.OPERATOR
        )


def test_last_owner_cannot_be_removed(owner, context_for):
    with pytest.raises(MembershipError):
        services.member_remove(context=context_for(owner), membership_id=owner.pk)
    assert Membership.objects.filter(pk=owner.pk).exists()


def test_owner_can_step_down_when_another_owner_remains(owner, make_member, context_for):
    # given
    make_member(Role.OWNER, shop=owner.shop)
    # when
    services.member_change_role(
        context=context_for(owner), membership_id=owner.pk, role=Role.OPERATOR
    )
    # then
    owner.refresh_from_db()
    assert owner.role == Role.OPERATOR


def test_member_of_another_shop_is_not_found(owner, other_owner, context_for):
    with pytest.raises(Http404):
        services.member_change_role(
            context=context_for(owner), membership_id=other_owner.pk, role=Role.SERVICE
        )
    with pytest.raises(Http404):
        services.member_remove(context=context_for(owner), membership_id=other_owner.pk)
    assert Shop.objects.count() == 2


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        ({"followers": 999}, "粉丝数需达到 1,000，当前 999。"),
        ({"public_original_videos": 9}, "公开且原创的视频需达到 10 条，当前 9 条。"),
        ({"phone_bound": False}, "账号需绑定手机号。"),
        ({"real_name_verified": False}, "账号需完成实名认证。"),
    ],
)
def test_each_unmet_cart_condition_is_reported(profile, expected):
    # given
    creator = CreatorFactory(**{"followers": 1000, "public_original_videos": 10, **profile})
    # when
    result = creator_eligibility(creator)
    # then
    assert result.eligible is False
    assert result.unmet == [expected]


def test_all_unmet_conditions_are_reported_together():
    creator = CreatorFactory(
        followers=0, public_original_videos=0, phone_bound=False, real_name_verified=False
    )
    assert len(creator_eligibility(creator).unmet) == 4


def test_check_grants_cart_permission_at_the_threshold():
    # given
    creator = CreatorFactory(followers=1000, public_original_videos=10)
    # when
    result = services.creator_check_eligibility(creator=creator)
    # then
    creator.refresh_from_db()
    assert result.eligible and creator.has_cart_permission


def test_check_withdraws_cart_permission_below_the_threshold():
    # given
    creator = CreatorFactory()
    services.creator_check_eligibility(creator=creator)
    services.creator_set_account_facts(
        creator=creator, facts={"followers": 10}, source=AccountChangeSource.SYNC
    )
    # when
    result = services.creator_check_eligibility(creator=creator)
    # then
    creator.refresh_from_db()
    assert not result.eligible and not creator.has_cart_permission
    assert creator.eligibility_checked_at is not None
