"""Placing an order (下单): lines, SKUs on sale, 限购, stock reserved, snapshots."""

from collections import Counter
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from core.bounds import MAX_FEN, require_range
from core.exceptions import clean_or_raise
from core.models import Said
from core.money import fen_to_yuan
from products.models import ProductImage, ProductStatus, Sku
from products.services import sku_reserve_stock
from shops.models import Creator, ShopStatus, phone_validator

from ..attribution import Attribution
from ..exceptions import CheckoutError
from ..limits import Client, order_limits_check
from ..models import RECEIVER_KEYS, Order, OrderEvent, OrderEventKind, OrderItem, OrderStatus
from ..stats.rollups import record_placed
from .numbers import save_numbered

MAX_LINE_QUANTITY = 99


def _want(lines) -> Counter:
    if not lines:
        raise CheckoutError(_("请至少选择一件商品。"), fields={"lines": [_("请选择商品。")]})
    wanted: Counter = Counter()
    for sku_id, quantity in lines:
        wanted[int(sku_id)] += int(quantity)
    for quantity in wanted.values():
        if not 1 <= quantity <= MAX_LINE_QUANTITY:
            message = _("购买数量须在 1 到 %(max)s 件之间。") % {"max": MAX_LINE_QUANTITY}
            raise CheckoutError(message, fields={"quantity": [message]})
    return wanted


def _buyable_skus(shop, wanted: Counter) -> dict[int, Sku]:
    """The SKUs asked for, each on sale in `shop`, active and priced; else CheckoutError."""
    images = Prefetch("product__images", queryset=ProductImage.objects.order_by("position", "id"))
    skus = {
        sku.pk: sku
        for sku in Sku.objects.filter(pk__in=wanted, shop=shop)
        .select_related("product")
        .prefetch_related(images)
    }
    for sku_id in wanted:
        sku = skus.get(sku_id)
        if sku is None:
            raise CheckoutError(_("商品规格 %(id)s 不存在或不属于本店。") % {"id": sku_id})
        label = f"「{sku.product.title} {sku.spec_text}」".replace(" 」", "」")
        if sku.product.status != ProductStatus.ON_SALE:
            raise CheckoutError(_("%(sku)s已下架，不能购买。") % {"sku": label})
        if not sku.is_active:
            raise CheckoutError(_("%(sku)s已停用，不能购买。") % {"sku": label})
        if not sku.price_fen:
            raise CheckoutError(_("%(sku)s尚未定价，不能购买。") % {"sku": label})
    return skus


def item_snapshot(sku: Sku, quantity: int, **fields) -> OrderItem:
    """A child order as bought: the SKU's title, spec, code and price at checkout."""
    return OrderItem(
        shop_id=sku.shop_id,
        product=sku.product,
        sku=sku,
        product_title=sku.product.title[:60],
        spec_text=sku.spec_text,
        outer_code=sku.outer_code,
        unit_price_fen=sku.price_fen,
        quantity=quantity,
        paid_fen=sku.price_fen * quantity,
        **fields,
    )


def _image_url(sku: Sku) -> str:
    images = list(sku.product.images.all())
    if not images:
        return ""
    picture = images[0].thumbnail or images[0].image
    return picture.url if picture else ""


@transaction.atomic
def order_place(
    *,
    shop,
    lines: list[tuple[int, int]],
    receiver: dict,
    buyer: dict,
    attribution: Attribution | None = None,
    buyer_words: str = "",
    shipping_fen: int = 0,
    client: Client | None = None,
) -> Order:
    """A new unpaid order (待支付): validates the lines, checks 限购 (and, for a buyer
    checkout from `client`, the caps on unpaid orders: orders.limits), reserves their
    stock (SKUs locked in pk order: no oversell, no deadlock), snapshots the items and
    records who sent the buyer. It cancels itself after the shop's 未付款自动取消 minutes."""
    if shop.status != ShopStatus.OPEN:
        raise CheckoutError(_("店铺暂停营业，暂时不能下单。"))
    attribution = attribution or Attribution()
    shipping_fen = require_range(
        int(shipping_fen),
        field="shipping_fen",
        label=_("运费（分）"),
        maximum=MAX_FEN,
        error_class=CheckoutError,
    )
    now = timezone.now()
    order = Order(
        shop=shop,
        status=OrderStatus.UNPAID,
        buyer_id=str(buyer.get("id") or "").strip(),
        buyer_nickname=str(buyer.get("nickname") or "").strip()[:40],
        shipping_fen=int(shipping_fen),
        created_at=now,
        pay_deadline=now + timedelta(minutes=shop.unpaid_cancel_minutes),
        buyer_words=(buyer_words or "").strip(),
        channel=attribution.channel,
        traffic_source=attribution.traffic_source,
        creator=Creator.objects.filter(pk=attribution.creator_id).first()
        if attribution.creator_id
        else None,
        video_id=attribution.video_id,
        live_room_id=attribution.live_room_id,
        **{f"receiver_{key}": str(receiver.get(key) or "").strip() for key in RECEIVER_KEYS},
    )
    order.order_no = "0" * 19  # numbered on insert
    clean_or_raise(order, CheckoutError, exclude=["shop", "creator"])
    try:
        phone_validator(order.receiver_phone)
    except ValidationError as exc:
        message = _("收件人手机号：请输入 11 位手机号。")
        raise CheckoutError(message, fields={"receiver_phone": [message]}) from exc

    wanted = _want(lines)
    skus = _buyable_skus(shop, wanted)
    order_limits_check(
        shop=shop, phone=order.receiver_phone, wanted=wanted, skus=skus, client=client
    )
    order.buyer_ip = client.ip if client else None
    items = [
        item_snapshot(sku, wanted[sku.pk], image_url=_image_url(sku))
        for sku in sorted(skus.values(), key=lambda s: s.pk)
    ]
    order.goods_total_fen = sum(item.paid_fen for item in items)
    order.paid_fen = order.goods_total_fen + order.shipping_fen
    if order.paid_fen > MAX_FEN:
        message = _("订单金额 ¥%(total)s 超过单笔订单上限 ¥%(max)s，请减少购买数量。") % {
            "total": fen_to_yuan(order.paid_fen),
            "max": fen_to_yuan(MAX_FEN),
        }
        raise CheckoutError(message, fields={"lines": [message]})
    save_numbered([order], "order_no", Order)
    sku_reserve_stock(lines=sorted(wanted.items()), note=Said("order", {"no": order.order_no}))
    for item in items:
        item.order = order
    save_numbered(items, "item_no", OrderItem)
    record_placed(order)
    OrderEvent.objects.create(
        order=order,
        kind=OrderEventKind.STATUS,
        to_status=OrderStatus.UNPAID,
        actor_label=_("买家"),
        code="placed",
    )
    return order
