"""Every write to orders except shipping (orders.shipping) and after-sales
(orders.aftersales): placing, paying, accepting, cancelling, signing, completing,
remarks, receiver reveals and the timers. Status changes go through
orders.status.order_set_status."""

import logging
import secrets
from collections import Counter
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import acting_user, context_user
from core.bounds import MAX_FEN, require_range
from core.exceptions import clean_or_raise
from core.models import Said
from core.money import fen_to_yuan
from core.timers import run_each_locked
from products.models import ProductImage, ProductStatus, Sku, StockMoveReason
from products.services import sku_release_stock, sku_reserve_stock
from shops.models import Creator, ShopStatus, phone_validator
from shops.roles import Perm
from shops.tenancy import ConsoleContext, get_scoped_or_404, scope

from .attribution import Attribution
from .deadlines import exp_ship_time
from .exceptions import CheckoutError, OrderError, PaymentRejected, TransitionRefused
from .limits import Client, order_limits_check
from .models import (
    OPEN_AFTERSALE_STATUSES,
    RECEIVER_KEYS,
    AfterSale,
    Order,
    OrderEvent,
    OrderEventKind,
    OrderItem,
    OrderStatus,
    Payment,
    PayMethod,
    RemarkFlag,
)
from .stats.rollups import record_placed
from .status import lock_order, lock_orders, order_set_status

logger = logging.getLogger("orders.payments")

MAX_LINE_QUANTITY = 99
TIMER_BATCH = 200


def new_number() -> str:
    """A 19-digit number like 抖店's order ids: the day, then 13 random digits. The
    database keeps them unique per shop; a clash is retried (save_numbered)."""
    return timezone.localdate().strftime("%y%m%d") + f"{secrets.randbelow(10**13):013d}"


def save_numbered(instances, field: str, model) -> None:
    """Insert `instances` with fresh numbers in `field`, retrying the rare clash."""
    for attempt in range(5):
        for instance in instances:
            setattr(instance, field, new_number())
        try:
            with transaction.atomic():
                model.objects.bulk_create(instances)
            return
        except IntegrityError:
            if attempt == 4:
                raise


# --- placing an order -----------------------------------------------------------------


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
        OrderItem(
            shop=shop,
            product=sku.product,
            sku=sku,
            product_title=sku.product.title[:60],
            spec_text=sku.spec_text,
            outer_code=sku.outer_code,
            image_url=_image_url(sku),
            unit_price_fen=sku.price_fen,
            quantity=wanted[sku.pk],
            paid_fen=sku.price_fen * wanted[sku.pk],
        )
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


# --- payment --------------------------------------------------------------------------


@transaction.atomic
def order_pay(
    *, order_id: int, payment_id: str, amount_fen: int, pay_method: int, provider: str, paid_at
) -> Order:
    """Record the provider's payment and move the order 1 → 105, then (after commit)
    to 2 through order_accept_task. A payment id seen before changes nothing."""
    order = lock_order(order_id)
    previous = Payment.objects.filter(payment_id=payment_id).first()
    if previous is not None:
        if previous.order_id != order.pk:
            logger.warning("payment %s replayed for another order %s", payment_id, order.order_no)
            raise PaymentRejected(_("支付单号 %(id)s 已用于其他订单。") % {"id": payment_id})
        return order
    if int(amount_fen) != order.paid_fen:
        logger.warning(
            "payment %s refused: amount %s fen, order %s expects %s fen",
            payment_id,
            amount_fen,
            order.order_no,
            order.paid_fen,
        )
        raise PaymentRejected(
            _("支付金额 ¥%(got)s 与订单 %(no)s 应付 ¥%(want)s 不符。")
            % {
                "got": fen_to_yuan(int(amount_fen)),
                "no": order.order_no,
                "want": fen_to_yuan(order.paid_fen),
            }
        )
    if order.status != OrderStatus.UNPAID:
        logger.warning(
            "payment %s refused: order %s is %s", payment_id, order.order_no, order.status
        )
        raise PaymentRejected(
            _("订单 %(no)s 当前为“%(status)s”，不能再支付。")
            % {"no": order.order_no, "status": order.get_status_display()}
        )
    if pay_method not in PayMethod.values:
        raise PaymentRejected(_("不支持的支付方式：%(m)s。") % {"m": pay_method})
    payment = Payment(
        order=order,
        provider=provider,
        payment_id=payment_id,
        amount_fen=amount_fen,
        pay_method=pay_method,
        paid_at=paid_at,
    )
    clean_or_raise(payment, PaymentRejected, exclude=["order"])
    payment.save()
    promises = [
        item.product.ship_promise
        for item in order.items.select_related("product")
        if item.product is not None
    ]
    order.pay_method = pay_method
    order.paid_at = paid_at
    order.exp_ship_time = exp_ship_time(
        paid_at=paid_at, ship_within_hours=order.shop.ship_within_hours, promises=promises
    )
    order.save(update_fields=["pay_method", "paid_at", "exp_ship_time", "updated_at"])
    OrderEvent.objects.create(
        order=order,
        kind=OrderEventKind.PAYMENT,
        actor_label=_("支付平台"),
        code="paid",
        params={"method": pay_method, "amount": fen_to_yuan(amount_fen), "id": payment_id},
    )
    order = order_set_status(
        order_id=order.pk, to_status=OrderStatus.PAID, actor_label=_("支付平台")
    )
    transaction.on_commit(lambda: _enqueue_accept(order.pk))
    return order


def _enqueue_accept(order_id: int) -> None:
    from .tasks import order_accept_task  # tasks import this module

    order_accept_task.delay(order_id)


@transaction.atomic
def order_accept(*, order_id: int) -> Order:
    """105 已支付 → 2 备货中 once the payment is confirmed; the place for a future
    risk check. Anything but 105 is left as it is (the task may run twice)."""
    order = lock_order(order_id)
    if order.status != OrderStatus.PAID:
        return order
    return order_set_status(
        order_id=order_id,
        to_status=OrderStatus.AWAITING_SHIPMENT,
        actor_label=_("系统"),
        note=Said("accepted"),
    )


# --- cancel, sign, complete -----------------------------------------------------------


def _release_lines(order: Order) -> list[tuple[int, int]]:
    return [
        (item.sku_id, item.quantity - item.refunded_quantity)
        for item in order.items.all()
        if item.sku_id and item.quantity > item.refunded_quantity
    ]


@transaction.atomic
def order_cancel(*, order_id: int, reason: str, actor=None, actor_label: str = "") -> Order:
    """Cancel an unpaid order and put its stock back. A paid order is refunded through
    an after-sale (未发货仅退款) instead; refunding everything cancels it."""
    reason = (reason or "").strip()
    if not reason:
        raise OrderError(_("请填写取消原因。"), fields={"reason": [_("请填写取消原因。")]})
    order = lock_order(order_id)
    if order.status == OrderStatus.CANCELLED:
        return order
    if order.status != OrderStatus.UNPAID:
        raise TransitionRefused(
            _("订单 %(no)s 已支付，不能直接取消，请通过售后退款。") % {"no": order.order_no}
        )
    order.cancel_reason = reason[:100]
    order.save(update_fields=["cancel_reason", "updated_at"])
    lines = _release_lines(order)
    if lines:
        sku_release_stock(
            lines=lines,
            reason=StockMoveReason.CANCEL,
            actor=acting_user(actor),
            note=Said("order_cancelled", {"no": order.order_no}),
        )
    return order_set_status(
        order_id=order.pk,
        to_status=OrderStatus.CANCELLED,
        actor=actor,
        actor_label=actor_label,
        note=reason,
    )


@transaction.atomic
def order_mark_signed(*, order_id: int, signed_at) -> Order:
    """已签收 of one parcel (from logistics). The order keeps the sign time of its last
    parcel to be signed, and auto-complete runs from it, never from before the order
    became 已发货 (a parcel signed early, or a sign reported late, moves nothing back)."""
    order = lock_order(order_id)
    if order.status not in (OrderStatus.PARTIALLY_SHIPPED, OrderStatus.SHIPPED):
        return order
    if order.signed_at == signed_at:
        return order
    if order.shipped_at and signed_at < order.shipped_at:
        message = _("签收时间 %(signed)s 早于订单 %(no)s 的发货时间 %(shipped)s。") % {
            "signed": timezone.localtime(signed_at).strftime("%Y-%m-%d %H:%M"),
            "no": order.order_no,
            "shipped": timezone.localtime(order.shipped_at).strftime("%Y-%m-%d %H:%M"),
        }
        raise OrderError(message, fields={"signed_at": [message]})
    order.signed_at = max(signed_at, order.signed_at or signed_at)
    fields = ["signed_at", "updated_at"]
    if order.status == OrderStatus.SHIPPED:
        due = order.signed_at + timedelta(days=order.shop.auto_confirm_days)
        order.auto_complete_at = max(due, order.auto_complete_at or due)
        fields.append("auto_complete_at")
    order.save(update_fields=fields)
    OrderEvent.objects.create(
        order=order,
        kind=OrderEventKind.SHIPMENT,
        actor_label=_("物流"),
        code="signed",
        params={"at": timezone.localtime(signed_at).strftime("%Y-%m-%d %H:%M")},
    )
    return order


def _open_aftersale_no(order_id: int) -> str | None:
    return (
        AfterSale.objects.filter(order_id=order_id, status__in=OPEN_AFTERSALE_STATUSES)
        .values_list("aftersale_no", flat=True)
        .first()
    )


@transaction.atomic
def order_complete(*, order_id: int, actor=None, actor_label: str = "") -> Order:
    """3 已发货 → 5 已完成 (确认收货), unless an after-sale is still open."""
    order = lock_order(order_id)
    open_no = _open_aftersale_no(order.pk)
    if open_no and order.status == OrderStatus.SHIPPED:
        raise TransitionRefused(
            _("订单 %(no)s 有进行中的售后单 %(aftersale)s，完结前不能确认收货。")
            % {"no": order.order_no, "aftersale": open_no}
        )
    return order_set_status(
        order_id=order.pk,
        to_status=OrderStatus.COMPLETED,
        actor=actor,
        actor_label=actor_label or _("系统"),
        note=Said("completed"),
    )


# --- console: remarks and receiver ----------------------------------------------------


@transaction.atomic
def order_update_remark(
    *,
    context: ConsoleContext,
    order_ids: list[int],
    remark: str | None = None,
    flag: int | None = None,
) -> int:
    """商家备注 and/or 旗帜 on the selected orders of the current shop; returns how
    many were updated. Orders of other shops are silently out of reach."""
    context.require_perm(Perm.ORDER_REMARK)
    if remark is None and flag is None:
        raise OrderError(_("请填写备注或选择旗帜。"))
    if flag is not None and flag not in RemarkFlag.values:
        raise OrderError(_("旗帜颜色无效。"), fields={"flag": [_("旗帜颜色无效。")]})
    if remark is not None:
        remark = remark.strip()
        if len(remark) > 500:
            message = _("商家备注最多 500 个字。")
            raise OrderError(message, fields={"remark": [message]})
    ids = list(scope(Order.objects.filter(pk__in=order_ids), context).values_list("pk", flat=True))
    orders = lock_orders(ids)
    user = context_user(context)
    for order in orders:
        if remark is not None:
            order.seller_remark = remark
        if flag is not None:
            order.remark_flag = flag
    Order.objects.bulk_update(orders, ["seller_remark", "remark_flag"])
    OrderEvent.objects.bulk_create(
        OrderEvent(
            order=order,
            kind=OrderEventKind.REMARK,
            actor=user,
            code="remark",
            params={"remark": remark, "flag": flag},
        )
        for order in orders
    )
    return len(orders)


@transaction.atomic
def order_reveal_receiver(*, context: ConsoleContext, order_id: int) -> Order:
    """The order with its receiver in full, for who may see it; every reveal is logged
    with who and when."""
    context.require_perm(Perm.RECEIVER_REVEAL)
    order = get_scoped_or_404(Order.objects.select_related("shop"), context, pk=order_id)
    OrderEvent.objects.create(
        order=order,
        kind=OrderEventKind.RECEIVER_REVEAL,
        actor=context_user(context),
        code="reveal",
    )
    return order


# --- timers ---------------------------------------------------------------------------


def _run_timer(queryset, handle) -> int:
    return run_each_locked(queryset, handle, batch=TIMER_BATCH)


def orders_cancel_unpaid(*, now=None) -> int:
    """Cancel orders not paid by their deadline and release their stock."""
    now = now or timezone.now()
    due = Order.objects.filter(status=OrderStatus.UNPAID, pay_deadline__lte=now)
    return _run_timer(
        due,
        lambda order: order_cancel(
            order_id=order.pk, reason=_("超时未支付，系统自动取消"), actor_label=_("系统")
        ),
    )


def orders_complete_due(*, now=None) -> int:
    """Complete shipped orders whose 自动确认收货 time has come (no open after-sale)."""
    now = now or timezone.now()
    open_aftersale = AfterSale.objects.filter(
        order=OuterRef("pk"), status__in=OPEN_AFTERSALE_STATUSES
    )
    due = Order.objects.filter(status=OrderStatus.SHIPPED, auto_complete_at__lte=now).exclude(
        Exists(open_aftersale)
    )
    return _run_timer(
        due,
        lambda order: order_complete(order_id=order.pk, actor_label=_("系统")),
    )
