"""Reads: the quality gate, 选品广场, the showcase and its carts."""

from dataclasses import dataclass

from django.db.models import Exists, F, IntegerField, Min, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from products.models import Category, Product, ProductImage, ProductStatus, Sku
from shops.models import Creator
from shops.selectors import creator_eligibility
from shops.tenancy import ConsoleContext, scope

from .carts.kinds import LIVE_CART
from .models import (
    AllianceOffer,
    AllianceRate,
    BlockedCategory,
    LiveSession,
    OfferStatus,
    ShowcaseCategory,
    ShowcaseItem,
)
from .sources import ExternalItem, ShopLevel, Source

# ---- quality gate for 淘宝/天猫 items -------------------------------------------------

QUALITY_MIN_SHOP_LEVEL = ShopLevel.DIAMOND_1  # the shop must rank above this


def _is_blocked(category: str) -> bool:
    names = BlockedCategory.objects.values_list("name", flat=True)
    return any(category == name or category.startswith(f"{name}/") for name in names)


def quality_gate_failures(item: ExternalItem) -> list[str]:
    """Every rule a 淘宝/天猫 item breaks (empty when it may be added). Other sources
    have no such gate."""
    if item.source != Source.TAOBAO:
        return []
    failures = []
    for label, dsr in (
        (_("描述相符"), item.dsr_description),
        (_("服务态度"), item.dsr_service),
        (_("物流服务"), item.dsr_logistics),
    ):
        if dsr.score <= dsr.category_average:
            failures.append(
                _("店铺%(label)s评分 %(score)s 未高于行业平均 %(avg)s")
                % {
                    "label": label,
                    "score": f"{dsr.score:.2f}",
                    "avg": f"{dsr.category_average:.2f}",
                }
            )
    if item.shop_level <= QUALITY_MIN_SHOP_LEVEL:
        failures.append(
            _("店铺等级为%(level)s，需在%(min)s以上")
            % {"level": item.shop_level_label, "min": QUALITY_MIN_SHOP_LEVEL.label}
        )
    if _is_blocked(item.category):
        failures.append(_("类目“%(category)s”禁止推广") % {"category": item.category})
    return failures


# ---- live price and stock of internal products ------------------------------------------


def _active_skus(product_ref: str):
    return Sku.objects.filter(product=OuterRef(product_ref), is_active=True).order_by()


def _min_price(product_ref: str):
    return Subquery(
        _active_skus(product_ref)
        .exclude(price_fen=None)
        .values("product")
        .annotate(v=Min("price_fen"))
        .values("v"),
        output_field=IntegerField(),
    )


def _total_stock(product_ref: str):
    return Subquery(
        _active_skus(product_ref).values("product").annotate(v=Sum("stock")).values("v"),
        output_field=IntegerField(),
    )


_FIRST_IMAGE = Prefetch("product__images", queryset=ProductImage.objects.order_by("position", "id"))


# ---- 精选联盟 -----------------------------------------------------------------------------


def alliance_rate_at(*, offer: AllianceOffer, at) -> int | None:
    """The rate in force at `at` (for an order placed then); None before the offer."""
    rate = (
        AllianceRate.objects.filter(offer=offer, effective_from__lte=at)
        .order_by("-effective_from", "-id")
        .values_list("rate_bp", flat=True)
        .first()
    )
    return rate


def offer_list(*, context: ConsoleContext):
    """The shop's offers (narrowed by `affiliates.filters.OfferFilter`)."""
    offers = scope(AllianceOffer.objects.select_related("product__category__parent"), context)
    return offers.annotate(
        price_min_fen=_min_price("product_id"), stock_total=_total_stock("product_id")
    ).order_by("-opened_at", "-id")


def offer_rate_history(*, context: ConsoleContext, offer: AllianceOffer):
    return scope(AllianceRate.objects.select_related("set_by"), context).filter(offer=offer)


def openable_products(*, context: ConsoleContext):
    """On-sale products of the shop not yet open to the alliance."""
    return (
        scope(Product.objects.all(), context)
        .filter(status=ProductStatus.ON_SALE)
        .exclude(alliance_offer__status=OfferStatus.OPEN)
        .order_by("title")
    )


PRICE_BANDS = {
    "0-50": (gettext_lazy("50 元以下"), None, 5000),
    "50-100": (gettext_lazy("50–100 元"), 5000, 10000),
    "100-300": (gettext_lazy("100–300 元"), 10000, 30000),
    "300-": (gettext_lazy("300 元以上"), 30000, None),
}
MARKET_SORTS = {
    "rate": (gettext_lazy("佣金率从高到低"), ["-rate_bp", "-id"]),
    "price": (gettext_lazy("价格从低到高"), ["price_min_fen", "-id"]),
    "-price": (gettext_lazy("价格从高到低"), ["-price_min_fen", "-id"]),
    "sales": (gettext_lazy("销量从高到低"), ["-product__sales_count", "-id"]),
    "newest": (gettext_lazy("最新上架"), ["-opened_at", "-id"]),
}


@dataclass(frozen=True)
class MarketFilters:
    category_id: int | None = None
    price_band: str = ""
    min_rate_bp: int | None = None
    in_stock: bool = False
    q: str = ""
    sort: str = "rate"


def active_offers(today=None):
    today = today or timezone.localdate()
    return AllianceOffer.objects.filter(
        Q(starts_on__isnull=True) | Q(starts_on__lte=today),
        Q(ends_on__isnull=True) | Q(ends_on__gte=today),
        status=OfferStatus.OPEN,
        product__status=ProductStatus.ON_SALE,
    )


def market_offers(*, creator: Creator, filters: MarketFilters = MarketFilters()):
    """选品广场: every active offer of every shop, filtered and sorted; marks the ones
    already in this creator's showcase."""
    offers = (
        active_offers()
        .select_related("product__category__parent", "shop")
        .prefetch_related(_FIRST_IMAGE)
        .annotate(
            price_min_fen=_min_price("product_id"),
            stock_total=Coalesce(_total_stock("product_id"), 0),
            in_showcase=Exists(
                ShowcaseItem.objects.filter(creator=creator, product_id=OuterRef("product_id"))
            ),
        )
        .exclude(price_min_fen=None)
    )
    return market_narrow(offers, filters)


def market_narrow(offers, filters: MarketFilters):
    """选品广场's filters and sort over `market_offers` (parsed by `affiliates.filters.
    MarketFilter` for the page and the API)."""
    if filters.category_id:
        offers = offers.filter(
            Q(product__category_id=filters.category_id)
            | Q(product__category__parent_id=filters.category_id)
        )
    if filters.price_band in PRICE_BANDS:
        _label, low, high = PRICE_BANDS[filters.price_band]
        if low is not None:
            offers = offers.filter(price_min_fen__gte=low)
        if high is not None:
            offers = offers.filter(price_min_fen__lt=high)
    if filters.min_rate_bp:
        offers = offers.filter(rate_bp__gte=filters.min_rate_bp)
    if filters.in_stock:
        offers = offers.filter(stock_total__gt=0)
    if filters.q:
        offers = offers.filter(product__title__icontains=filters.q)
    return offers.order_by(*MARKET_SORTS.get(filters.sort, MARKET_SORTS["rate"])[1])


def top_categories():
    return Category.objects.filter(parent__isnull=True).order_by("sort_order", "id")


# ---- the showcase ------------------------------------------------------------------------


def showcase_unmet(creator: Creator) -> list[str]:
    """Why this creator has no showcase (empty when they have one)."""
    if creator.has_cart_permission:
        return []
    unmet = creator_eligibility(creator).unmet
    return unmet or [_("条件已满足，请在首页点击“重新检测”开通购物车权限。")]


def _with_live_figures(items):
    return (
        items.select_related("creator", "product", "offer__product", "category")
        .prefetch_related(_FIRST_IMAGE)
        .annotate(
            current_price_fen=Coalesce(
                _min_price("product_id"), F("price_fen"), output_field=IntegerField()
            ),
            current_stock=_total_stock("product_id"),
        )
    )


def showcase_items(*, context: ConsoleContext):
    """The creator's showcase (narrowed by `affiliates.filters.ShowcaseItemFilter`)."""
    items = _with_live_figures(scope(ShowcaseItem.objects.all(), context))
    return items.order_by("-recommended", "position", "id")


def showcase_categories(*, context: ConsoleContext):
    return scope(ShowcaseCategory.objects.all(), context).order_by("position", "id")


def own_shop_products(*, context: ConsoleContext):
    """On-sale products of the shops this creator is a member of (小店自卖), with a flag
    for those already in the showcase."""
    shop_ids = [m.shop_id for m in context.memberships]
    return (
        Product.objects.filter(shop_id__in=shop_ids, status=ProductStatus.ON_SALE)
        .select_related("shop")
        .annotate(
            price_min_fen=_min_price("id"),
            in_showcase=Exists(
                ShowcaseItem.objects.filter(creator=context.creator, product_id=OuterRef("id"))
            ),
        )
        .order_by("shop_id", "title")
    )


def public_showcase(*, douyin_id: str):
    """(creator, categories, items) as a buyer sees them; 404 without a showcase."""
    creator = Creator.objects.filter(douyin_id=douyin_id).first()
    if creator is None or not creator.has_cart_permission:
        raise Http404
    items = _with_live_figures(ShowcaseItem.objects.filter(creator=creator)).order_by(
        "-recommended", "position", "id"
    )
    categories = ShowcaseCategory.objects.filter(creator=creator).order_by("position", "id")
    return creator, categories, items


# ---- video and live carts ----------------------------------------------------------------


def cart_list(*, cart, context: ConsoleContext):
    """The creator's videos or lives (`cart`: an `affiliates.carts.kinds.Cart`), with their
    items."""
    items = cart.link_model.objects.select_related("item__product").order_by("position")
    return scope(cart.model.objects.all(), context).prefetch_related(
        Prefetch("items", queryset=items)
    )


def cart_links(*, cart, row):
    """The items of one video or live, with the current price and stock."""
    return (
        cart.links(row)
        .select_related("item__product", "item__offer__product")
        .annotate(
            current_price_fen=Coalesce(
                _min_price("item__product_id"), F("item__price_fen"), output_field=IntegerField()
            ),
            current_stock=_total_stock("item__product_id"),
        )
        .order_by("position", "id")
    )


def live_items(*, session: LiveSession):
    return cart_links(cart=LIVE_CART, row=session)


def attachable_items(*, context: ConsoleContext, exclude_ids):
    """Showcase items that may go into a cart: not 失效, not already there."""
    items = showcase_items(context=context).exclude(pk__in=exclude_ids)
    return [item for item in items if not item.is_invalid]
