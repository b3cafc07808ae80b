import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from shops.factories import CreatorFactory, MembershipFactory, ShopFactory
from shops.models import Membership
from shops.tenancy import ContextKind, get_scoped_or_404, resolve_context, scope

pytestmark = pytest.mark.django_db


def test_anonymous_user_acts_for_nobody():
    assert resolve_context(AnonymousUser()).kind is None


def test_first_shop_is_the_default(owner):
    # given: the same user in a second shop
    MembershipFactory(user=owner.user, shop=ShopFactory(), role="operator")
    # when
    context = resolve_context(owner.user)
    # then
    assert (context.kind, context.shop) == (ContextKind.SHOP, owner.shop)


def test_requested_shop_is_used(owner):
    # given
    second = MembershipFactory(user=owner.user, shop=ShopFactory(), role="operator")
    # when
    context = resolve_context(owner.user, requested=f"shop:{second.shop_id}")
    # then
    assert (context.shop, context.role) == (second.shop, "operator")


@pytest.mark.parametrize("requested", ["{foreign}", "shop:{foreign}", "creator", "shop:x", "x"])
def test_a_shop_the_user_is_not_a_member_of_is_refused(owner, other_owner, requested):
    # when
    context = resolve_context(owner.user, requested=requested.format(foreign=other_owner.shop_id))
    # then: no fall back to the user's own shop; the context acts for nobody
    assert context.refused
    assert (context.kind, context.shop) == (None, None)
    assert not scope(Membership.objects.all(), context).exists()


def test_creator_context():
    # given
    creator = CreatorFactory()
    # when
    context = resolve_context(creator.user, requested="creator")
    # then
    assert (context.kind, context.creator) == (ContextKind.CREATOR, creator)
    assert context.shop is None


def test_scope_keeps_only_the_current_shop(owner, other_owner):
    # when
    members = scope(Membership.objects.all(), resolve_context(owner.user))
    # then
    assert list(members) == [owner]


def test_scope_in_creator_context_hides_shop_rows(owner):
    creator = CreatorFactory(user=owner.user)
    context = resolve_context(owner.user, requested="creator")
    assert context.creator == creator
    assert not scope(Membership.objects.all(), context).exists()


def test_scoped_lookup_of_a_foreign_object_is_404(owner, other_owner):
    with pytest.raises(Http404):
        get_scoped_or_404(Membership.objects.all(), resolve_context(owner.user), pk=other_owner.pk)
