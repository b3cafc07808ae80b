"""factory-boy factories for affiliates; shared by the tests and seed_demo.

`ShowcaseCreatorFactory()` is a creator holding the cart permission;
`AllianceOfferFactory()` opens an on-sale product (with its rate history row);
`AllianceItemFactory(creator=c, offer=o)` and `ExternalItemFactory(creator=c)` fill a
showcase.
"""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from products.factories import ProductFactory
from shops.factories import CreatorFactory

from .carts.kinds import LIVE_CART, VIDEO_CART, Cart
from .models import (
    AllianceOffer,
    AllianceRate,
    BlockedCategory,
    LiveSession,
    ShowcaseCategory,
    ShowcaseItem,
    Video,
)
from .sources import Source


class ShowcaseCreatorFactory(CreatorFactory):
    cart_permission_granted_at = factory.LazyFunction(timezone.now)
    eligibility_checked_at = factory.LazyFunction(timezone.now)


class BlockedCategoryFactory(DjangoModelFactory):
    class Meta:
        model = BlockedCategory
        django_get_or_create = ("name",)

    name = "医疗器械"
    reason = "淘宝联盟商品推广规范：禁止推广"


class AllianceOfferFactory(DjangoModelFactory):
    class Meta:
        model = AllianceOffer
        django_get_or_create = ("product",)
        skip_postgeneration_save = True

    product = factory.SubFactory(ProductFactory)
    shop = factory.SelfAttribute("product.shop")
    rate_bp = 2000
    opened_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def rates(offer, create, extracted, **kwargs):
        # The first history row, as alliance_offer_open writes it (once: seed_demo reruns).
        if create and not offer.rates.exists():
            AllianceRate.objects.create(
                offer=offer, rate_bp=offer.rate_bp, effective_from=offer.opened_at
            )


class ShowcaseCategoryFactory(DjangoModelFactory):
    class Meta:
        model = ShowcaseCategory
        django_get_or_create = ("creator", "name")

    creator = factory.SubFactory(ShowcaseCreatorFactory)
    name = factory.Sequence(lambda n: f"分类{n}")


class AllianceItemFactory(DjangoModelFactory):
    class Meta:
        model = ShowcaseItem
        django_get_or_create = ("creator", "product")

    creator = factory.SubFactory(ShowcaseCreatorFactory)
    source = Source.ALLIANCE
    offer = factory.SubFactory(AllianceOfferFactory)
    product = factory.SelfAttribute("offer.product")
    shop_name = factory.SelfAttribute("offer.shop.name")
    rate_bp = factory.SelfAttribute("offer.rate_bp")
    position = factory.Sequence(int)


class ExternalItemFactory(DjangoModelFactory):
    class Meta:
        model = ShowcaseItem
        django_get_or_create = ("creator", "source", "external_item_id")

    creator = factory.SubFactory(ShowcaseCreatorFactory)
    source = Source.JD
    external_item_id = factory.Sequence(lambda n: str(100000000 + n))
    title = factory.Sequence(lambda n: f"京东好物{n}")
    price_fen = 5990
    shop_name = "京东自营旗舰店"
    rate_bp = 800
    position = factory.Sequence(int)


class _CartLinkFactory(DjangoModelFactory):
    """An external item of the cart owner's showcase hung on a cart (`cart`: its row)."""

    class Meta:
        abstract = True

    item = factory.SubFactory(ExternalItemFactory, creator=factory.SelfAttribute("..cart.creator"))
    position = factory.Sequence(int)


class _CartFactory(DjangoModelFactory):
    """A video or a live of a creator holding the cart permission."""

    class Meta:
        abstract = True

    creator = factory.SubFactory(ShowcaseCreatorFactory)


class VideoFactory(_CartFactory):
    class Meta:
        model = Video
        django_get_or_create = ("creator", "douyin_video_id")

    title = factory.Sequence(lambda n: f"好物分享第{n}期")
    douyin_video_id = factory.Sequence(lambda n: str(7300000000000000000 + n))
    published_at = factory.LazyFunction(timezone.now)


class LiveSessionFactory(_CartFactory):
    class Meta:
        model = LiveSession
        django_get_or_create = ("creator", "title")

    title = factory.Sequence(lambda n: f"周末直播专场{n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))


def _cart_link_factory(kind: Cart, cart_factory):
    """The `_CartLinkFactory` of `kind`'s link rows: `<link_field>=` (or the `cart=` param,
    whichever the kind) names the cart row, made by `cart_factory` when not given."""
    meta = {"model": kind.link_model, "django_get_or_create": (kind.link_field, "item")}
    return type(
        f"{kind.link_model.__name__}Factory",
        (_CartLinkFactory,),
        {
            "Meta": type("Meta", (), meta),
            "Params": type("Params", (), {"cart": factory.SelfAttribute(kind.link_field)}),
            kind.link_field: factory.SubFactory(cart_factory),
        },
    )


VideoItemFactory = _cart_link_factory(VIDEO_CART, VideoFactory)
LiveItemFactory = _cart_link_factory(LIVE_CART, LiveSessionFactory)
