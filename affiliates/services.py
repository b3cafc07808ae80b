"""Writes: 精选联盟 offers (merchant side), the showcase and its video and live carts
(creator side). Every function runs in one transaction and leaves nothing half-written."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from products.models import Product, ProductStatus
from shops.roles import Perm
from shops.tenancy import ConsoleContext, ContextKind, get_scoped_or_404

from .exceptions import (
    AllianceError,
    CartError,
    ExternalItemNotFound,
    QualityGateRefused,
    ShowcaseError,
    ShowcaseUnavailable,
    VideoCartFull,
)
from .links import resolve_item_text
from .models import (
    VIDEO_MAX_ITEMS,
    AllianceOffer,
    AllianceOfferEvent,
    AllianceRate,
    LiveItem,
    LiveSession,
    OfferStatus,
    ShowcaseCategory,
    ShowcaseItem,
    Video,
    VideoItem,
)
from .selectors import active_offers, quality_gate_failures, showcase_unmet
from .sources import Source, SourceClient, get_source_client

# ---- 精选联盟 (merchant) -------------------------------------------------------------------

OFFER_TRANSITIONS = {
    None: {OfferStatus.OPEN},
    OfferStatus.OPEN: {OfferStatus.CLOSED},
    OfferStatus.CLOSED: {OfferStatus.OPEN},
}


def _record_rate(offer: AllianceOffer, rate_bp: int, actor) -> None:
    rate = AllianceRate(offer=offer, rate_bp=rate_bp, set_by=actor)
    rate.full_clean()
    rate.save()


def _offer_transition(offer: AllianceOffer, to_status: int, actor) -> None:
    from_status = offer.status if offer.pk else None
    if to_status not in OFFER_TRANSITIONS[from_status]:
        raise AllianceError(
            _("“%(title)s”当前为%(status)s，不能改为%(to)s。")
            % {
                "title": offer.product.title,
                "status": offer.get_status_display(),
                "to": OfferStatus(to_status).label,
            }
        )
    offer.status = to_status
    offer.full_clean()
    offer.save()
    AllianceOfferEvent.objects.create(
        offer=offer, from_status=from_status, to_status=to_status, actor=actor
    )


def _lock_offer(context: ConsoleContext, offer_id: int) -> AllianceOffer:
    context.require_perm(Perm.ALLIANCE_MANAGE)
    offer = get_scoped_or_404(
        AllianceOffer.objects.select_for_update(of=("self",)).select_related("product"),
        context,
        pk=offer_id,
    )
    return offer


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
    rate_changed = offer.pk is None or offer.rate_bp != rate_bp
    offer.rate_bp = rate_bp
    offer.starts_on = starts_on
    offer.ends_on = ends_on
    offer.opened_at = timezone.now()
    _offer_transition(offer, OfferStatus.OPEN, context.membership.user)
    if rate_changed:
        _record_rate(offer, rate_bp, context.membership.user)
    return offer


@transaction.atomic
def alliance_offer_update(
    *, context: ConsoleContext, offer_id: int, rate_bp: int, starts_on=None, ends_on=None
) -> AllianceOffer:
    """Change the rate (for new orders only: it is recorded from now on) and the dates.
    Showcase items keep the rate they were added with."""
    offer = _lock_offer(context, offer_id)
    rate_changed = offer.rate_bp != rate_bp
    offer.rate_bp = rate_bp
    offer.starts_on = starts_on
    offer.ends_on = ends_on
    offer.full_clean()
    offer.save()
    if rate_changed:
        _record_rate(offer, rate_bp, context.membership.user)
    return offer


@transaction.atomic
def alliance_offer_close(*, context: ConsoleContext, offer_id: int) -> AllianceOffer:
    offer = _lock_offer(context, offer_id)
    _offer_transition(offer, OfferStatus.CLOSED, context.membership.user)
    return offer


# ---- the showcase (creator) ------------------------------------------------------------------


def _showcase_creator(context: ConsoleContext):
    """The creator acting, if they have a showcase; else every unmet condition."""
    if context.kind != ContextKind.CREATOR:
        raise Http404
    unmet = showcase_unmet(context.creator)
    if unmet:
        raise ShowcaseUnavailable(unmet)
    return context.creator


def _next_position(queryset) -> int:
    top = queryset.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


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


def _scoped_item(context: ConsoleContext, item_id: int, *, lock=False) -> ShowcaseItem:
    queryset = ShowcaseItem.objects.select_related("product", "offer__product")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return get_scoped_or_404(queryset, context, pk=item_id)


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


# ---- carts ----------------------------------------------------------------------------------


def _cart_item(context: ConsoleContext, item_id: int) -> ShowcaseItem:
    """A showcase item that may go into a cart: the creator's own, and not 失效."""
    item = _scoped_item(context, item_id)
    if item.is_invalid:
        raise CartError(
            _("“%(title)s”已失效（商品已下架或停止推广），不能挂车。")
            % {"title": item.display_title},
            fields={"item": [_("商品已失效。")]},
        )
    return item


@transaction.atomic
def video_create(
    *, context: ConsoleContext, title: str, douyin_video_id: str, published_at=None
) -> Video:
    creator = _showcase_creator(context)
    video = Video(
        creator=creator,
        title=title,
        douyin_video_id=douyin_video_id.strip(),
        published_at=published_at or timezone.now(),
    )
    video.full_clean()
    video.save()
    return video


@transaction.atomic
def video_delete(*, context: ConsoleContext, video_id: int) -> None:
    _showcase_creator(context)
    get_scoped_or_404(Video.objects.all(), context, pk=video_id).delete()


@transaction.atomic
def video_attach_item(*, context: ConsoleContext, video_id: int, item_id: int) -> VideoItem:
    """Hang a showcase item on the video's cart; at most VIDEO_MAX_ITEMS per video."""
    _showcase_creator(context)
    # The video row lock serialises attaches, so two at once cannot both take slot 7.
    video = get_scoped_or_404(Video.objects.select_for_update(), context, pk=video_id)
    item = _cart_item(context, item_id)
    attached = list(VideoItem.objects.filter(video=video).values_list("item_id", flat=True))
    if item.pk in attached:
        raise CartError(
            _("“%(title)s”已挂在这个视频上。") % {"title": item.display_title},
            fields={"item": [_("已挂车。")]},
        )
    if len(attached) >= VIDEO_MAX_ITEMS:
        raise VideoCartFull(
            _("每个视频最多挂 %(max)s 件商品，“%(video)s”已挂满，请先移除一件。")
            % {"max": VIDEO_MAX_ITEMS, "video": video.title},
            fields={"item": [_("视频购物车已满。")]},
        )
    link = VideoItem(video=video, item=item, position=len(attached))
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def video_detach_item(*, context: ConsoleContext, video_id: int, item_id: int) -> None:
    _showcase_creator(context)
    video = get_scoped_or_404(Video.objects.select_for_update(), context, pk=video_id)
    deleted, _rows = VideoItem.objects.filter(video=video, item_id=item_id).delete()
    if not deleted:
        raise Http404


@transaction.atomic
def live_create(*, context: ConsoleContext, title: str, starts_at, ends_at) -> LiveSession:
    creator = _showcase_creator(context)
    session = LiveSession(creator=creator, title=title, starts_at=starts_at, ends_at=ends_at)
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def live_delete(*, context: ConsoleContext, session_id: int) -> None:
    _showcase_creator(context)
    get_scoped_or_404(LiveSession.objects.all(), context, pk=session_id).delete()


def _lock_session(context: ConsoleContext, session_id: int) -> LiveSession:
    _showcase_creator(context)
    return get_scoped_or_404(LiveSession.objects.select_for_update(), context, pk=session_id)


@transaction.atomic
def live_add_item(*, context: ConsoleContext, session_id: int, item_id: int) -> LiveItem:
    """Put a showcase item into the live cart (only showcase items can go there)."""
    session = _lock_session(context, session_id)
    item = _cart_item(context, item_id)
    if LiveItem.objects.filter(session=session, item=item).exists():
        raise CartError(
            _("“%(title)s”已在直播购物车中。") % {"title": item.display_title},
            fields={"item": [_("已在直播购物车中。")]},
        )
    link = LiveItem(
        session=session,
        item=item,
        position=_next_position(LiveItem.objects.filter(session=session)),
    )
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def live_remove_item(*, context: ConsoleContext, session_id: int, item_id: int) -> None:
    session = _lock_session(context, session_id)
    deleted, _rows = LiveItem.objects.filter(session=session, item_id=item_id).delete()
    if not deleted:
        raise Http404


@transaction.atomic
def live_set_explaining(*, context: ConsoleContext, session_id: int, item_id: int) -> LiveItem:
    """Mark one live-cart item 正在讲解; whichever item was being explained stops.

    The session row lock makes concurrent requests take turns, so the clear-then-set
    pair is atomic; the partial unique constraint backs it up in the database."""
    session = _lock_session(context, session_id)
    link = LiveItem.objects.select_related("item__product", "item__offer__product")
    link = link.filter(session=session, item_id=item_id).first()
    if link is None:
        raise Http404
    if link.item.is_invalid:
        raise CartError(_("“%(title)s”已失效，不能讲解。") % {"title": link.item.display_title})
    LiveItem.objects.filter(session=session, is_explaining=True).exclude(pk=link.pk).update(
        is_explaining=False, explaining_since=None
    )
    if not link.is_explaining:
        link.is_explaining = True
        link.explaining_since = timezone.now()
        link.save(update_fields=["is_explaining", "explaining_since"])
    return link


@transaction.atomic
def live_clear_explaining(*, context: ConsoleContext, session_id: int) -> None:
    session = _lock_session(context, session_id)
    LiveItem.objects.filter(session=session, is_explaining=True).update(
        is_explaining=False, explaining_since=None
    )
