"""The one cart abstraction (`affiliates.carts`): what a video and a live share behaves
the same for both; each kind adds only its own rule."""

import pytest

from affiliates.carts import services
from affiliates.carts.kinds import LIVE_CART, VIDEO_CART
from affiliates.exceptions import CartError
from affiliates.factories import ExternalItemFactory, LiveSessionFactory, VideoFactory

pytestmark = pytest.mark.django_db

CARTS = {"video": (VIDEO_CART, VideoFactory), "live": (LIVE_CART, LiveSessionFactory)}


@pytest.mark.parametrize("kind", list(CARTS))
def test_an_item_goes_into_a_cart_once(showcase_creator, creator_context, kind):
    # given
    cart, make_row = CARTS[kind]
    row = make_row(creator=showcase_creator)
    item = ExternalItemFactory(creator=showcase_creator)
    context = creator_context(showcase_creator)
    services.cart_add_item(cart=cart, context=context, cart_id=row.pk, item_id=item.pk)
    # when / then
    with pytest.raises(CartError) as refused:
        services.cart_add_item(cart=cart, context=context, cart_id=row.pk, item_id=item.pk)
    assert item.display_title in refused.value.message
    assert cart.links(row).count() == 1


@pytest.mark.parametrize("kind", list(CARTS))
def test_an_item_added_after_a_removal_goes_last(showcase_creator, creator_context, kind):
    # given
    cart, make_row = CARTS[kind]
    row = make_row(creator=showcase_creator)
    first, second, third = (ExternalItemFactory(creator=showcase_creator) for _ in range(3))
    context = creator_context(showcase_creator)
    for item in (first, second):
        services.cart_add_item(cart=cart, context=context, cart_id=row.pk, item_id=item.pk)
    services.cart_remove_item(cart=cart, context=context, cart_id=row.pk, item_id=first.pk)
    # when
    services.cart_add_item(cart=cart, context=context, cart_id=row.pk, item_id=third.pk)
    # then
    order = list(cart.links(row).order_by("position").values_list("item_id", flat=True))
    assert order == [second.pk, third.pk]


def test_a_live_cart_has_no_item_limit(showcase_creator, creator_context):
    # given
    session = LiveSessionFactory(creator=showcase_creator)
    items = [ExternalItemFactory(creator=showcase_creator) for _ in range(VIDEO_CART.limit + 1)]
    context = creator_context(showcase_creator)
    # when
    for item in items:
        services.cart_add_item(cart=LIVE_CART, context=context, cart_id=session.pk, item_id=item.pk)
    # then
    assert LIVE_CART.links(session).count() == VIDEO_CART.limit + 1
