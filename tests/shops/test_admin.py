"""Shop members in /admin/ go through the membership services: a shop keeps a 店主."""

import pytest
from django.urls import reverse

from shops.factories import MembershipFactory
from shops.models import Membership
from shops.roles import Role
from tests.core.admin_support import change_form_data, messages_of

pytestmark = pytest.mark.django_db

LAST_OWNER = "店铺至少需要一位店主。"


def _rows(data: dict, membership: Membership) -> str:
    """The inline prefix of `membership`'s row on its shop's change form."""
    row = next(k for k, v in data.items() if k.endswith("-id") and v == str(membership.pk))
    return row.removesuffix("-id")


def _post(admin_client, shop, change):
    url = reverse("admin:shops_shop_change", args=[shop.pk])
    data = change_form_data(admin_client, url)
    change(data)
    return admin_client.post(url, data, follow=True)


def test_removing_the_last_owner_in_the_inline_is_refused(admin_client, owner):
    # given
    MembershipFactory(shop=owner.shop, role=Role.OPERATOR)
    # when
    response = _post(
        admin_client, owner.shop, lambda d: d.update({f"{_rows(d, owner)}-DELETE": "on"})
    )
    # then
    assert response.status_code == 200 and LAST_OWNER in messages_of(response)
    assert Membership.objects.filter(pk=owner.pk, role=Role.OWNER).exists()


def test_demoting_the_last_owner_in_the_inline_is_refused(admin_client, owner):
    # when
    response = _post(
        admin_client, owner.shop, lambda d: d.update({f"{_rows(d, owner)}-role": Role.OPERATOR})
    )
    # then
    assert LAST_OWNER in messages_of(response)
    assert Membership.objects.get(pk=owner.pk).role == Role.OWNER


def test_a_refused_member_change_keeps_nothing_of_the_save(admin_client, owner):
    # when: the shop is renamed in the same save that removes its only 店主
    def change(data):
        data.update({"name": "改名的店", f"{_rows(data, owner)}-DELETE": "on"})

    _post(admin_client, owner.shop, change)
    # then
    owner.shop.refresh_from_db()
    assert owner.shop.name != "改名的店"


def test_ownership_is_handed_over_in_one_save(admin_client, owner):
    # given
    operator = MembershipFactory(shop=owner.shop, role=Role.OPERATOR)

    def change(data):
        data.update(
            {f"{_rows(data, operator)}-role": Role.OWNER, f"{_rows(data, owner)}-DELETE": "on"}
        )

    # when: the promotion is applied before the removal, so the shop always has a 店主
    response = _post(admin_client, owner.shop, change)
    # then
    assert response.status_code == 200 and LAST_OWNER not in messages_of(response)
    assert list(Membership.objects.filter(shop=owner.shop).values_list("pk", "role")) == [
        (operator.pk, Role.OWNER)
    ]


def test_a_member_is_added_in_the_inline(admin_client, owner, django_user_model):
    # given
    newcomer = django_user_model.objects.create_user("newcomer")

    def change(data):
        data.update(
            {
                "memberships-TOTAL_FORMS": str(int(data["memberships-TOTAL_FORMS"]) + 1),
                f"memberships-{data['memberships-TOTAL_FORMS']}-user": str(newcomer.pk),
                f"memberships-{data['memberships-TOTAL_FORMS']}-role": Role.SERVICE,
            }
        )

    # when
    _post(admin_client, owner.shop, change)
    # then
    assert Membership.objects.get(shop=owner.shop, user=newcomer).role == Role.SERVICE
