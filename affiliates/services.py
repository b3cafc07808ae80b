"""Writes: 精选联盟 offers (merchant side), the showcase and its video and live carts
(creator side). Every function runs in one transaction and leaves nothing half-written."""

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import context_user
from core.state import Machine
from products.models import Product, ProductStatus
from shops.roles import Perm
from shops.tenancy import ConsoleContext, get_scoped_or_404

from .carts.kinds import LIVE_CART, VIDEO_CART
from .carts.services import (  # noqa: F401 (by name)
    cart_add_item,
    cart_delete,
    live_clear_explaining,
    live_set_explaining,
)
from .exceptions import (
    AllianceError,
    ExternalItemNotFound,
    QualityGateRefused,
    ShowcaseError,
)
from .links import resolve_item_text
from .models import (
    AllianceOffer,
    AllianceOfferEvent,
    AllianceRate,
    LiveItem,
    OfferStatus,
    ShowcaseCategory,
    ShowcaseItem,
    VideoItem,
)
from .selectors import active_offers, quality_gate_failures
from .showcase_access import next_position as _next_position
from .showcase_access import scoped_item as _scoped_item
from .showcase_access import showcase_creator as _showcase_creator
from .sources import Source, SourceClient, get_source_client

# ---- 精选联盟 (merchant) -------------------------------------------------------------------

# A new offer starts from None.
OFFER_TRANSITIONS = {
    None: frozenset({OfferStatus.OPEN}),
    OfferStatus.OPEN: frozenset({OfferStatus.CLOSED}),
    OfferStatus.CLOSED: frozenset({OfferStatus.OPEN}),
}


def _refuse_offer(offer: AllianceOffer, from_status, to_status) -> AllianceError:
    return AllianceError(
        _("“%(title)s”当前为%(status)s，不能改为%(to)s。")
        % {
            "title": offer.product.title,
            "status": OfferStatus(from_status).label,
            "to": OfferStatus(to_status).label,
        }
    )


OFFER_MACHINE = Machine(
    OFFER_TRANSITIONS,
    label=lambda status: OfferStatus(status).label,
    refusal=_refuse_offer,
    repeatable=False,
)


def _record_rate(offer: AllianceOffer, rate_bp: int, actor) -> None:
    rate = AllianceRate(offer=offer, rate_bp=rate_bp, set_by=actor)
    rate.full_clean()
    rate.save()


def _offer_transition(offer: AllianceOffer, to_status: int, actor) -> None:
    if offer.pk is None:
        offer.status = None

    def record(row: AllianceOffer, from_status, to) -> None:
        row.full_clean()
        row.save()
        AllianceOfferEvent.objects.create(
            offer=row, from_status=from_status, to_status=to, actor=actor
        )

    OFFER_MACHINE.move_locked([offer], to_status, on_change=record)


def _lock_offer(context: ConsoleContext, offer_id: int) -> AllianceOffer:
    context.require_perm(Perm.ALLIANCE_MANAGE)
    offer = get_scoped_or_404(
        AllianceOffer.objects.select_for_update(of=("self",)).select_related("product"),
        context,
        pk=offer_id,
    )
    return offer


def _set_terms(offer: AllianceOffer, *, rate_bp: int, starts_on, ends_on) -> bool:
    """Set the offer's rate and dates; True when the rate history needs a row (a new
    offer, or a new rate)."""
    rate_changed = offer.pk is None or offer.rate_bp != rate_bp
    offer.rate_bp, offer.starts_on, offer.ends_on = rate_bp, starts_on, ends_on
    return rate_changed


@transaction.atomic
def alliance_offer_open(
    *, context: ConsoleContext, product_id: int, rate_bp: int, starts_on=None, ends_on=None
) -> AllianceOffer:
    """Open an on-sale product to 精选联盟 (or reopen a closed offer) at `rate_bp`."""
    context.require_perm(Perm.ALLIANCE_MANAGE)
    product = get_scoped_or_404(Product.objects.select_for_update(), context, pk=product_id)
    if product.status != ProductStatus.ON_SALE:
        raise AllianceError(
            _("“%(title)s”当前为%(status)s，只有在售商品可以加入精选联盟。")
            % {"title": product.title, "status": product.get_status_display()},
            fields={"product": [_("请选择在售商品。")]},
        )
    offer = AllianceOffer.objects.filter(product=product).first()
    if offer is None:
        offer = AllianceOffer(shop_id=product.shop_id, product=product, rate_bp=rate_bp)
    elif offer.status == OfferStatus.OPEN:
        raise AllianceError(
            _("“%(title)s”已在精选联盟推广中，可直接修改佣金率。") % {"title": product.title},
            fields={"product": [_("已在推广中。")]},
        )
    rate_changed = _set_terms(offer, rate_bp=rate_bp, starts_on=starts_on, ends_on=ends_on)
    offer.opened_at = timezone.now()
    _offer_transition(offer, OfferStatus.OPEN, context_user(context))
    if rate_changed:
        _record_rate(offer, rate_bp, context_user(context))
    return offer


@transaction.atomic
def alliance_offer_update(
    *, context: ConsoleContext, offer_id: int, rate_bp: int, starts_on=None, ends_on=None
) -> AllianceOffer:
    """Change the rate (for new orders only: it is recorded from now on) and the dates.
    Showcase items keep the rate they were added with."""
    offer = _lock_offer(context, offer_id)
    rate_changed = _set_terms(offer, rate_bp=rate_bp, starts_on=starts_on, ends_on=ends_on)
    offer.full_clean()
    offer.save()
    if rate_changed:
        _record_rate(offer, rate_bp, context_user(context))
    return offer


@transaction.atomic
def alliance_offer_close(*, context: ConsoleContext, offer_id: int) -> AllianceOffer:
    offer = _lock_offer(context, offer_id)
    _offer_transition(offer, OfferStatus.CLOSED, context_user(context))
    return offer


# ---- the showcase (creator) ------------------------------------------------------------------


def _save_item(item: ShowcaseItem) -> ShowcaseItem:
    same = ShowcaseItem.objects.filter(creator=item.creator)
    if item.product_id:
        same = same.filter(product_id=item.product_id)
    else:
        same = same.filter(source=item.source, external_item_id=item.external_item_id)
    if same.exists():
        raise ShowcaseError(_("“%(title)s”已在橱窗中。") % {"title": item.display_title})
    item.position = _next_position(ShowcaseItem.objects.filter(creator=item.creator))
    item.full_clean()
    try:
        # A savepoint, so a lost race on the unique constraints is a readable error.
        with transaction.atomic():
            item.save()
    except IntegrityError as exc:
        raise ShowcaseError(_("该商品已在橱窗中。")) from exc
    return item


@transaction.atomic
def showcase_add_from_alliance(*, context: ConsoleContext, offer_id: int) -> ShowcaseItem:
    """Add a 精选联盟 offer at its current rate; the item keeps that rate."""
    creator = _showcase_creator(context)
    offer = active_offers().select_related("product__shop").filter(pk=offer_id).first()
    if offer is None:
        raise ShowcaseError(_("该精选联盟商品已结束推广或已下架。"))
    item = ShowcaseItem(
        creator=creator,
        source=Source.ALLIANCE,
        product=offer.product,
        offer=offer,
        shop_name=offer.product.shop.name,
        rate_bp=offer.rate_bp,
    )
    return _save_item(item)


@transaction.atomic
def showcase_add_from_shop(*, context: ConsoleContext, product_id: int) -> ShowcaseItem:
    """Add a product of a shop the creator belongs to (小店自卖, no commission)."""
    creator = _showcase_creator(context)
    shop_ids = [m.shop_id for m in context.memberships]
    product = (
        Product.objects.select_related("shop").filter(pk=product_id, shop_id__in=shop_ids).first()
    )
    if product is None:
        raise Http404
    if product.status != ProductStatus.ON_SALE:
        raise ShowcaseError(
            _("“%(title)s”当前为%(status)s，只能添加在售商品。")
            % {"title": product.title, "status": product.get_status_display()}
        )
    item = ShowcaseItem(
        creator=creator, source=Source.SHOP, product=product, shop_name=product.shop.name
    )
    return _save_item(item)


@transaction.atomic
def showcase_add_from_link(
    *, context: ConsoleContext, text: str, client: SourceClient | None = None
) -> ShowcaseItem:
    """Add an external item from a pasted link or 淘口令, after the 淘宝 quality gate."""
    creator = _showcase_creator(context)
    client = client or get_source_client()
    source, item_id = resolve_item_text(text, client)
    details = client.item_details(source, item_id)
    if details is None:
        message = _("在%(source)s找不到商品 %(id)s，可能已下架或不参加推广。") % {
            "source": Source(source).label,
            "id": item_id,
        }
        raise ExternalItemNotFound(message, fields={"text": [message]})
    failures = quality_gate_failures(details)
    if failures:
        raise QualityGateRefused(failures)
    item = ShowcaseItem(
        creator=creator,
        source=source,
        external_item_id=item_id,
        title=details.title[:120],
        price_fen=details.price_fen,
        image_url=details.image_url,
        shop_name=details.shop_name[:60],
        rate_bp=details.commission_rate_bp,
    )
    return _save_item(item)


@transaction.atomic
def showcase_item_update(*, context: ConsoleContext, item_id: int, **changes) -> ShowcaseItem:
    """Set the item's 分类 (category_id, None for none), 推荐 and 上新 flags."""
    _showcase_creator(context)
    item = _scoped_item(context, item_id, lock=True)
    if "category_id" in changes:
        category_id = changes["category_id"]
        if category_id is not None:
            get_scoped_or_404(ShowcaseCategory.objects.all(), context, pk=category_id)
        item.category_id = category_id
    for flag in ("recommended", "is_new"):
        if flag in changes:
            setattr(item, flag, bool(changes[flag]))
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def showcase_item_move(*, context: ConsoleContext, item_id: int, direction: str) -> None:
    """Swap the item with its neighbour in the order buyers see (推荐 items first)."""
    creator = _showcase_creator(context)
    # Locking the whole showcase (pk order) keeps two concurrent moves from interleaving.
    list(ShowcaseItem.objects.select_for_update().filter(creator=creator).order_by("pk"))
    items = list(
        ShowcaseItem.objects.filter(creator=creator).order_by("-recommended", "position", "id")
    )
    index = next((i for i, it in enumerate(items) if it.pk == item_id), None)
    if index is None:
        raise Http404
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items) and items[other].recommended == items[index].recommended:
        items[index], items[other] = items[other], items[index]
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


@transaction.atomic
def showcase_item_remove(*, context: ConsoleContext, item_id: int) -> None:
    """Take the item out of the showcase, and so out of every video and live cart."""
    _showcase_creator(context)
    _scoped_item(context, item_id, lock=True).delete()


@transaction.atomic
def showcase_category_create(*, context: ConsoleContext, name: str) -> ShowcaseCategory:
    creator = _showcase_creator(context)
    category = ShowcaseCategory(
        creator=creator,
        name=name.strip(),
        position=_next_position(ShowcaseCategory.objects.filter(creator=creator)),
    )
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def showcase_category_rename(
    *, context: ConsoleContext, category_id: int, name: str
) -> ShowcaseCategory:
    _showcase_creator(context)
    category = get_scoped_or_404(
        ShowcaseCategory.objects.select_for_update(), context, pk=category_id
    )
    category.name = name.strip()
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def showcase_category_delete(*, context: ConsoleContext, category_id: int) -> None:
    """Delete the 分类; its items stay in the showcase, uncategorised."""
    _showcase_creator(context)
    get_scoped_or_404(ShowcaseCategory.objects.all(), context, pk=category_id).delete()


# ---- carts: entry points by name; the one cart abstraction is affiliates.carts -------------


def video_attach_item(*, context: ConsoleContext, video_id: int, item_id: int) -> VideoItem:
    """Hang a showcase item on the video's cart; at most VIDEO_MAX_ITEMS per video."""
    return cart_add_item(cart=VIDEO_CART, context=context, cart_id=video_id, item_id=item_id)


def live_delete(*, context: ConsoleContext, session_id: int) -> None:
    cart_delete(cart=LIVE_CART, context=context, cart_id=session_id)


def live_add_item(*, context: ConsoleContext, session_id: int, item_id: int) -> LiveItem:
    """Put a showcase item into the live cart (only showcase items can go there)."""
    return cart_add_item(cart=LIVE_CART, context=context, cart_id=session_id, item_id=item_id)
