"""Demo 精选联盟 offers and creator showcases for seed_demo (idempotent; runs after the
products demo)."""

from datetime import timedelta

from django.utils import timezone

from orders.attribution import Attribution
from orders.models import Channel, TrafficSource
from products.models import Product, ProductStatus
from shops.models import Creator, Membership, Shop
from shops.roles import Role
from shops.tenancy import ContextKind, resolve_context

from . import services
from .factories import (
    AllianceItemFactory,
    AllianceOfferFactory,
    BlockedCategoryFactory,
    LiveItemFactory,
    LiveSessionFactory,
    ShowcaseCategoryFactory,
    VideoFactory,
    VideoItemFactory,
)
from .links import resolve_item_text
from .models import ShowcaseItem
from .selectors import active_offers
from .sources import OfflineSourceClient

BLOCKED_CATEGORIES = [
    ("医疗器械", "淘宝联盟推广规范：医疗器械不得推广"),
    ("电子烟", "法规禁止线上推广"),
    ("处方药", "法规禁止线上推广"),
    ("成人用品", "抖音平台禁推类目"),
]
OFFERS_PER_SHOP = 8
RATES_BP = [2000, 3000, 1500, 2500, 4000, 1000, 3500, 5000]
# Per eligible creator: showcase categories, how many alliance offers to take (from the
# front or the back of the list), external links from the offline fixture, video and live.
SHOWCASES = {
    "creator": {
        "categories": ["穿搭", "美妆", "居家"],
        "offers": slice(0, 6),
        "links": [
            "https://item.taobao.com/item.htm?id=652314789012",
            "【淘宝】https://m.tb.cn/h.5Fq0XyZ 「冰丝阔腿裤」",
            "复制这段描述￥Xq8sL2vB9cN￥后到淘宝",
            "https://detail.vip.com/detail-1710613434-6920039312854.html",
        ],
        "video": ("7312345678901234567", "夏日通勤穿搭｜一周不重样"),
        "live": "周五晚8点 夏装上新专场",
    },
    "creator2": {
        "categories": ["数码", "厨房", "零食"],
        "offers": slice(-6, None),
        "links": [
            "https://item.jd.com/100012043978.html",
            "https://u.jd.com/Ab3dEfG",
            "https://item.m.jd.com/product/100035246702.html",
            "https://goods.kaola.com/product/8203891.html",
            "https://product.suning.com/0000000000/11592645733.html",
        ],
        "video": ("7323456789012345678", "百元好物测评第12期"),
        "live": "阿强测评 周末数码专场",
    },
}


def _open_offers(shop: Shop) -> int:
    products = Product.objects.filter(shop=shop, status=ProductStatus.ON_SALE).order_by("id")
    owner = Membership.objects.filter(shop=shop, role=Role.OWNER).order_by("id").first()
    for index, product in enumerate(products[:OFFERS_PER_SHOP]):
        today = timezone.localdate()
        offer = AllianceOfferFactory(
            product=product,
            rate_bp=RATES_BP[index],
            # One limited-time campaign per shop; the rest run until closed.
            ends_on=today + timedelta(days=30) if index == 4 else None,
        )
        if index == 0 and offer.rates.count() == 1 and owner is not None:
            # Show a rate history: raised once after opening.
            services.alliance_offer_update(
                context=resolve_context(owner.user, requested=f"shop:{shop.pk}"),
                offer_id=offer.pk,
                rate_bp=offer.rate_bp + 500,
            )
    return min(products.count(), OFFERS_PER_SHOP)


def _fill_showcase(creator: Creator, plan: dict) -> None:
    context = resolve_context(creator.user, requested=ContextKind.CREATOR)
    categories = [ShowcaseCategoryFactory(creator=creator, name=n) for n in plan["categories"]]
    offers = list(active_offers().select_related("product", "shop").order_by("id"))
    items = []
    for index, offer in enumerate(offers[plan["offers"]]):
        items.append(
            AllianceItemFactory(
                creator=creator,
                offer=offer,
                category=categories[index % len(categories)],
                recommended=index < 2,
                is_new=index == 2,
            )
        )
    client = OfflineSourceClient()
    for text in plan["links"]:
        source, item_id = resolve_item_text(text, client)
        existing = ShowcaseItem.objects.filter(
            creator=creator, source=source, external_item_id=item_id
        ).first()
        items.append(
            existing or services.showcase_add_from_link(context=context, text=text, client=client)
        )
    douyin_video_id, video_title = plan["video"]
    video = VideoFactory(
        creator=creator,
        douyin_video_id=douyin_video_id,
        title=video_title,
        published_at=timezone.now() - timedelta(days=2),
    )
    for position, item in enumerate(items[:4]):
        VideoItemFactory(video=video, item=item, position=position)
    session = LiveSessionFactory(creator=creator, title=plan["live"])
    links = [
        LiveItemFactory(session=session, item=item, position=position)
        for position, item in enumerate(items[:5])
    ]
    services.live_set_explaining(context=context, session_id=session.pk, item_id=links[1].item_id)


def seed(log) -> list[tuple[str, str]]:
    for name, reason in BLOCKED_CATEGORIES:
        BlockedCategoryFactory(name=name, reason=reason)
    opened = sum(_open_offers(shop) for shop in Shop.objects.order_by("id"))
    creators = Creator.objects.filter(user__username__in=SHOWCASES).select_related("user")
    filled = 0
    for creator in creators:
        if creator.has_cart_permission:
            _fill_showcase(creator, SHOWCASES[creator.user.username])
            filled += 1
    log(f"affiliates: {opened} 精选联盟 offers, {filled} showcases with a video and a live")
    return []


def order_attributions(shop: Shop) -> list[Attribution]:
    """Who may have sent buyers to `shop`'s demo orders (orders.demo asks through
    `AffiliatesConfig.demo_order_attributions`): the demo creators' showcase, video and
    live items of its products."""
    attributions = []
    items = ShowcaseItem.objects.filter(product__shop=shop).prefetch_related(
        "video_links__video", "live_links"
    )
    for item in items:
        channel = Channel.ALLIANCE if item.offer_id else Channel.SHOP
        attributions.append(Attribution(item.creator_id, channel, TrafficSource.SHOWCASE))
        attributions += [
            Attribution(
                item.creator_id,
                channel,
                TrafficSource.VIDEO,
                video_id=link.video.douyin_video_id,
            )
            for link in item.video_links.all()
        ]
        attributions += [
            Attribution(
                item.creator_id, channel, TrafficSource.LIVE, live_room_id=str(link.session_id)
            )
            for link in item.live_links.all()
        ]
    return attributions
