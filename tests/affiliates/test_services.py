from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from affiliates import services
from affiliates.exceptions import (
    AllianceError,
    CartError,
    ExternalItemNotFound,
    QualityGateRefused,
    ShowcaseError,
    ShowcaseUnavailable,
    VideoCartFull,
)
from affiliates.factories import (
    AllianceItemFactory,
    AllianceOfferFactory,
    ExternalItemFactory,
    LiveSessionFactory,
    ShowcaseCreatorFactory,
    VideoFactory,
    VideoItemFactory,
)
from affiliates.models import AllianceOfferEvent, LiveItem, OfferStatus, ShowcaseItem, VideoItem
from affiliates.selectors import alliance_rate_at
from core.exceptions import PermissionRefused
from products.factories import ProductFactory
from products.models import ProductStatus
from shops.factories import CreatorFactory, MembershipFactory
from shops.roles import Role

pytestmark = pytest.mark.django_db


# ---- 精选联盟 offers ----------------------------------------------------------------------


def test_merchant_opens_an_on_sale_product_with_its_first_rate(owner, context_for):
    # given
    product = ProductFactory(shop=owner.shop)
    # when
    offer = services.alliance_offer_open(
        context=context_for(owner), product_id=product.pk, rate_bp=2500
    )
    # then
    assert (offer.status, offer.rate_bp) == (OfferStatus.OPEN, 2500)
    assert list(offer.rates.values_list("rate_bp", flat=True)) == [2500]
    assert offer.events.get().to_status == OfferStatus.OPEN


def test_a_draft_product_cannot_be_opened(owner, context_for):
    product = ProductFactory(shop=owner.shop, status=ProductStatus.DRAFT)
    with pytest.raises(AllianceError, match="只有在售商品"):
        services.alliance_offer_open(
            context=context_for(owner), product_id=product.pk, rate_bp=2500
        )


@pytest.mark.parametrize(("rate_bp", "message"), [(99, "不能低于 1%"), (9001, "不能高于 90%")])
def test_rate_outside_1_to_90_percent_is_refused(owner, context_for, rate_bp, message):
    # given
    product = ProductFactory(shop=owner.shop)
    # when
    with pytest.raises(ValidationError, match=message):
        services.alliance_offer_open(
            context=context_for(owner), product_id=product.pk, rate_bp=rate_bp
        )
    # then: nothing half-written
    assert not AllianceOfferEvent.objects.exists()


def test_end_before_start_is_refused(owner, context_for):
    product = ProductFactory(shop=owner.shop)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        services.alliance_offer_open(
            context=context_for(owner),
            product_id=product.pk,
            rate_bp=2000,
            starts_on=today,
            ends_on=today - timedelta(days=1),
        )


def test_a_role_without_alliance_permission_is_refused(make_member, context_for):
    member = make_member(Role.SERVICE)
    product = ProductFactory(shop=member.shop)
    with pytest.raises(PermissionRefused):
        services.alliance_offer_open(
            context=context_for(member), product_id=product.pk, rate_bp=2000
        )


def test_a_merchant_cannot_open_or_manage_another_shops_offer(
    owner, other_shops_offer, context_for
):
    # given
    foreign_offer = other_shops_offer
    context = context_for(owner)
    # then
    with pytest.raises(Http404):
        services.alliance_offer_open(
            context=context, product_id=foreign_offer.product_id, rate_bp=2000
        )
    with pytest.raises(Http404):
        services.alliance_offer_update(context=context, offer_id=foreign_offer.pk, rate_bp=100)
    with pytest.raises(Http404):
        services.alliance_offer_close(context=context, offer_id=foreign_offer.pk)
    foreign_offer.refresh_from_db()
    assert (foreign_offer.status, foreign_offer.rate_bp) == (OfferStatus.OPEN, 2000)


def test_rate_change_applies_from_now_and_keeps_the_history(owner, context_for):
    # given: an offer at 20% since an hour ago, already in a showcase
    offer = AllianceOfferFactory(
        product=ProductFactory(shop=owner.shop),
        rate_bp=2000,
        opened_at=timezone.now() - timedelta(hours=1),
    )
    item = AllianceItemFactory(offer=offer)
    before = timezone.now()
    # when
    services.alliance_offer_update(context=context_for(owner), offer_id=offer.pk, rate_bp=3000)
    # then: orders placed before the change keep 20%, new ones get 30%
    assert alliance_rate_at(offer=offer, at=before) == 2000
    assert alliance_rate_at(offer=offer, at=timezone.now()) == 3000
    assert alliance_rate_at(offer=offer, at=before - timedelta(hours=2)) is None
    item.refresh_from_db()
    assert item.rate_bp == 2000


def test_closing_an_offer_makes_showcase_items_invalid(owner, context_for):
    # given
    offer = AllianceOfferFactory(product=ProductFactory(shop=owner.shop))
    item = AllianceItemFactory(offer=offer)
    # when
    services.alliance_offer_close(context=context_for(owner), offer_id=offer.pk)
    # then
    item = ShowcaseItem.objects.select_related("product", "offer__product").get(pk=item.pk)
    assert item.is_invalid


def test_a_closed_offer_reopens_and_cannot_be_closed_twice(owner, context_for):
    # given
    context = context_for(owner)
    offer = AllianceOfferFactory(product=ProductFactory(shop=owner.shop))
    services.alliance_offer_close(context=context, offer_id=offer.pk)
    # when / then
    with pytest.raises(AllianceError, match="已关闭"):
        services.alliance_offer_close(context=context, offer_id=offer.pk)
    offer = services.alliance_offer_open(context=context, product_id=offer.product_id, rate_bp=1500)
    assert offer.status == OfferStatus.OPEN
    assert list(offer.rates.values_list("rate_bp", flat=True)) == [1500, 2000]


# ---- the showcase -----------------------------------------------------------------------


def test_a_creator_without_cart_permission_gets_the_unmet_conditions(creator_context):
    # given
    creator = CreatorFactory(followers=10)
    offer = AllianceOfferFactory()
    # when
    with pytest.raises(ShowcaseUnavailable) as error:
        services.showcase_add_from_alliance(context=creator_context(creator), offer_id=offer.pk)
    # then
    assert error.value.unmet == ["粉丝数需达到 1,000，当前 10。"]
    assert not ShowcaseItem.objects.exists()


def test_add_from_alliance_keeps_the_rate_at_the_time(showcase_creator, creator_context):
    # given
    offer = AllianceOfferFactory(rate_bp=3500)
    # when
    item = services.showcase_add_from_alliance(
        context=creator_context(showcase_creator), offer_id=offer.pk
    )
    # then
    assert (item.source, item.product, item.rate_bp) == ("alliance", offer.product, 3500)


def test_the_same_product_cannot_be_added_twice(showcase_creator, creator_context):
    # given
    offer = AllianceOfferFactory()
    context = creator_context(showcase_creator)
    services.showcase_add_from_alliance(context=context, offer_id=offer.pk)
    # when / then
    with pytest.raises(ShowcaseError, match="已在橱窗中"):
        services.showcase_add_from_alliance(context=context, offer_id=offer.pk)


def test_an_offer_outside_its_dates_cannot_be_added(showcase_creator, creator_context):
    offer = AllianceOfferFactory(starts_on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ShowcaseError, match="已结束推广或已下架"):
        services.showcase_add_from_alliance(
            context=creator_context(showcase_creator), offer_id=offer.pk
        )


def test_add_from_link_stores_the_networks_details(showcase_creator, creator_context):
    # when
    item = services.showcase_add_from_link(
        context=creator_context(showcase_creator),
        text="https://item.jd.com/100012043978.html",
    )
    # then
    assert (item.source, item.external_item_id, item.price_fen, item.rate_bp) == (
        "jd",
        "100012043978",
        19900,
        800,
    )
    assert item.title.startswith("飞利浦电动牙刷")


def test_a_taobao_item_failing_the_gate_is_refused_with_every_rule(
    showcase_creator, creator_context
):
    # when
    with pytest.raises(QualityGateRefused) as error:
        services.showcase_add_from_link(
            context=creator_context(showcase_creator), text="￥Gm4Tp7Yd2Rw￥"
        )
    # then
    assert len(error.value.failures) == 4
    assert "店铺等级为四心" in str(error.value.message)
    assert not ShowcaseItem.objects.exists()


def test_an_unknown_item_is_reported(showcase_creator, creator_context):
    with pytest.raises(ExternalItemNotFound, match="找不到商品 1234567"):
        services.showcase_add_from_link(
            context=creator_context(showcase_creator),
            text="https://item.jd.com/1234567.html",
        )


def test_a_creator_adds_a_product_of_their_own_shop(showcase_creator, creator_context):
    # given
    membership = MembershipFactory(user=showcase_creator.user)
    product = ProductFactory(shop=membership.shop)
    # when
    item = services.showcase_add_from_shop(
        context=creator_context(showcase_creator), product_id=product.pk
    )
    # then
    assert (item.source, item.rate_bp) == ("shop", 0)


def test_another_shops_product_is_not_own_shop(showcase_creator, creator_context):
    product = ProductFactory()
    with pytest.raises(Http404):
        services.showcase_add_from_shop(
            context=creator_context(showcase_creator), product_id=product.pk
        )


def test_move_swaps_neighbours_and_recommended_stay_first(showcase_creator, creator_context):
    # given: a, b, c in that order, c recommended
    a, b, c = (ExternalItemFactory(creator=showcase_creator) for _ in range(3))
    context = creator_context(showcase_creator)
    services.showcase_item_update(context=context, item_id=c.pk, recommended=True)
    # when
    services.showcase_item_move(context=context, item_id=b.pk, direction="up")
    services.showcase_item_move(context=context, item_id=b.pk, direction="up")
    # then: b climbed above a, but not above the pinned c
    order = list(showcase_creator.showcase_items.values_list("pk", flat=True))
    assert order == [c.pk, b.pk, a.pk]


def test_removing_an_item_takes_it_out_of_every_cart(showcase_creator, creator_context):
    # given
    link = VideoItemFactory(video=VideoFactory(creator=showcase_creator))
    # when
    services.showcase_item_remove(context=creator_context(showcase_creator), item_id=link.item_id)
    # then
    assert not VideoItem.objects.exists()


# ---- carts ------------------------------------------------------------------------------


def test_the_eighth_video_item_is_refused_with_the_reason(showcase_creator, creator_context):
    # given
    video = VideoFactory(creator=showcase_creator)
    for _ in range(7):
        VideoItemFactory(video=video)
    extra = ExternalItemFactory(creator=showcase_creator)
    # when
    with pytest.raises(VideoCartFull, match="最多挂 7 件商品"):
        services.video_attach_item(
            context=creator_context(showcase_creator), video_id=video.pk, item_id=extra.pk
        )
    # then
    assert video.items.count() == 7


def test_an_invalid_item_cannot_be_attached_to_a_video(showcase_creator, creator_context):
    # given: an alliance item whose product went off sale
    item = AllianceItemFactory(creator=showcase_creator)
    item.product.status = ProductStatus.OFF_SHELF
    item.product.save()
    video = VideoFactory(creator=showcase_creator)
    # when / then
    with pytest.raises(CartError, match="已失效"):
        services.video_attach_item(
            context=creator_context(showcase_creator), video_id=video.pk, item_id=item.pk
        )


def test_marking_another_item_explaining_clears_the_first(
    showcase_creator, creator_context, live_cart
):
    # given
    session, first, second = live_cart
    context = creator_context(showcase_creator)
    services.live_set_explaining(context=context, session_id=session.pk, item_id=first.item_id)
    # when
    services.live_set_explaining(context=context, session_id=session.pk, item_id=second.item_id)
    # then
    explaining = LiveItem.objects.filter(session=session, is_explaining=True)
    assert list(explaining.values_list("pk", flat=True)) == [second.pk]


def test_live_cart_takes_only_items_from_the_showcase(showcase_creator, creator_context):
    # given: someone else's showcase item
    foreign = ExternalItemFactory()
    session = LiveSessionFactory(creator=showcase_creator)
    with pytest.raises(Http404):
        services.live_add_item(
            context=creator_context(showcase_creator), session_id=session.pk, item_id=foreign.pk
        )


def test_a_creator_cannot_touch_another_creators_showcase(creator_context, other_creators_showcase):
    # given
    item, video, session = other_creators_showcase
    me = ShowcaseCreatorFactory()
    mine = ExternalItemFactory(creator=me)
    context = creator_context(me)
    # then
    with pytest.raises(Http404):
        services.showcase_item_remove(context=context, item_id=item.pk)
    with pytest.raises(Http404):
        services.showcase_item_update(context=context, item_id=item.pk, recommended=True)
    with pytest.raises(Http404):
        services.video_attach_item(context=context, video_id=video.pk, item_id=mine.pk)
    with pytest.raises(Http404):
        services.live_add_item(context=context, session_id=session.pk, item_id=mine.pk)
    with pytest.raises(Http404):
        services.live_delete(context=context, session_id=session.pk)
    assert ShowcaseItem.objects.filter(pk=item.pk, recommended=False).exists()
