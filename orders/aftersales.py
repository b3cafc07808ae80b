"""After-sales (售后) on child orders: the state machine and every write to it.

The buyer opens, returns goods and withdraws; the merchant agrees, rejects, confirms the
returned goods and ships the exchange. A successful refund counts against the item,
returns the quantity to stock when the goods come back (or never left), and may cancel
an order whose every item was refunded before shipping.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import acting_user, context_user
from core.exceptions import clean_or_raise
from core.models import Said, said_fields
from core.money import fen_to_yuan
from core.state import Machine, announce_on_commit
from products.models import StockMoveReason
from products.services import sku_release_stock
from shops.roles import Perm
from shops.tenancy import ConsoleContext, get_scoped_or_404

from .exceptions import AfterSaleError, AfterSaleRefused
from .models import (
    OPEN_AFTERSALE_STATUSES,
    AfterSale,
    AfterSaleEvent,
    AfterSaleStatus,
    AfterSaleType,
    OrderEvent,
    OrderEventKind,
    OrderItem,
    OrderStatus,
)
from .services import save_numbered
from .signals import aftersale_status_changed
from .stats.rollups import record_refund
from .status import lock_order, order_set_status

A = AfterSaleStatus
T = AfterSaleType

# Return types may be opened up to this many days after the order completed.
RETURN_WINDOW_DAYS = 7

TRANSITIONS: dict[int, frozenset[int]] = {
    A.AWAITING_MERCHANT: frozenset({A.AWAITING_BUYER_RETURN, A.SUCCEEDED, A.REJECTED, A.CLOSED}),
    A.AWAITING_BUYER_RETURN: frozenset({A.AWAITING_MERCHANT_RECEIPT, A.CLOSED}),
    A.AWAITING_MERCHANT_RECEIPT: frozenset({A.SUCCEEDED, A.AWAITING_EXCHANGE_SHIPMENT}),
    A.AWAITING_EXCHANGE_SHIPMENT: frozenset({A.SUCCEEDED}),
    A.SUCCEEDED: frozenset(),
    A.REJECTED: frozenset(),
    A.CLOSED: frozenset(),
}
FINAL = (A.SUCCEEDED, A.REJECTED, A.CLOSED)


def _refuse(aftersale: AfterSale, from_status: int, to_status: int) -> AfterSaleRefused:
    return AfterSaleRefused(
        _("售后单 %(no)s 当前为“%(from)s”，不能变为“%(to)s”。")
        % {"no": aftersale.aftersale_no, "from": A(from_status).label, "to": A(to_status).label}
    )


MACHINE = Machine(TRANSITIONS, label=lambda status: A(status).label, refusal=_refuse)
REFUND_TYPES = (T.RETURN_REFUND, T.SHIPPED_REFUND_ONLY, T.UNSHIPPED_REFUND_ONLY)
# The goods come back to the shelf: returned, or never shipped.
RESTOCK_TYPES = (T.RETURN_REFUND, T.UNSHIPPED_REFUND_ONLY)
RETURN_TYPES = (T.RETURN_REFUND, T.EXCHANGE)


def _lock(aftersale_id: int) -> AfterSale:
    """Lock the order first, then the after-sale: the same order as shipping takes."""
    order_id = AfterSale.objects.values_list("order_id", flat=True).get(pk=aftersale_id)
    lock_order(order_id)
    return (
        AfterSale.objects.select_for_update(of=("self",))
        .select_related("order", "item")
        .get(pk=aftersale_id)
    )


@transaction.atomic
def aftersale_set_status(
    *, aftersale_id: int, to_status: int, actor=None, actor_label: str = "", note: Said | str = ""
) -> AfterSale:
    """The one place an after-sale's status is written: lock, check TRANSITIONS, stamp,
    record an AfterSaleEvent (and a line in the order's timeline), announce on commit."""
    aftersale = _lock(aftersale_id)

    def stamp(row: AfterSale, from_status: int, to: int) -> None:
        if to in FINAL:
            row.finished_at = timezone.now()
        row.save(update_fields=["status", "finished_at", "updated_at"])
        _record(row, from_status, actor=actor, actor_label=actor_label, note=note)

    MACHINE.move_locked([aftersale], to_status, on_change=stamp)
    return aftersale


def _record(aftersale: AfterSale, from_status, *, actor, actor_label: str, note) -> None:
    """`note`: a Said of AfterSaleEvent.MESSAGES, or a person's words (reason)."""
    user = acting_user(actor)
    said = said_fields(note)
    AfterSaleEvent.objects.create(
        aftersale=aftersale,
        from_status=from_status,
        to_status=aftersale.status,
        actor=user,
        actor_label=actor_label,
        **said,
    )
    OrderEvent.objects.create(
        order_id=aftersale.order_id,
        kind=OrderEventKind.AFTERSALE,
        actor=user,
        actor_label=actor_label,
        code="aftersale",
        params={
            "no": aftersale.aftersale_no,
            "status": aftersale.status,
            "detail_code": said["code"],
            "detail": said["params"],
        },
        note=said["note"],
    )
    announce_on_commit(
        aftersale_status_changed,
        AfterSale,
        [
            {
                "aftersale_id": aftersale.pk,
                "order_id": aftersale.order_id,
                "from_status": from_status,
                "to_status": aftersale.status,
            }
        ],
    )


# --- buyer ----------------------------------------------------------------------------


def refundable_fen(item: OrderItem) -> int:
    return item.paid_fen - item.refunded_fen


def aftersale_types_allowed(item: OrderItem) -> list[int]:
    """The types the buyer may ask for on this item now (the rules of _check_window),
    so the buyer's form offers none that would be refused."""
    order = item.order
    if order.status in (OrderStatus.UNPAID, OrderStatus.PAID, OrderStatus.CANCELLED):
        return []
    types = []
    if item.quantity_to_ship and order.status in (
        OrderStatus.AWAITING_SHIPMENT,
        OrderStatus.PARTIALLY_SHIPPED,
    ):
        types.append(T.UNSHIPPED_REFUND_ONLY)
    if min(item.shipped_quantity, item.quantity - item.refunded_quantity):
        if order.status != OrderStatus.COMPLETED:
            types += [T.RETURN_REFUND, T.SHIPPED_REFUND_ONLY, T.EXCHANGE]
        elif timezone.now() <= order.completed_at + timedelta(days=RETURN_WINDOW_DAYS):
            types += RETURN_TYPES
    return sorted(types)


def _check_window(item: OrderItem, type: int, quantity: int) -> None:
    order = item.order
    if order.status in (OrderStatus.UNPAID, OrderStatus.PAID, OrderStatus.CANCELLED):
        raise AfterSaleError(
            _("订单当前为“%(status)s”，不能申请售后。") % {"status": order.get_status_display()}
        )
    if type == T.UNSHIPPED_REFUND_ONLY:
        if order.status not in (OrderStatus.AWAITING_SHIPMENT, OrderStatus.PARTIALLY_SHIPPED):
            raise AfterSaleError(_("订单已发货，请申请“已发货仅退款”或“退货退款”。"))
        available = item.quantity_to_ship
        if available == 0:
            raise AfterSaleError(_("该商品已全部发货，请申请“已发货仅退款”或“退货退款”。"))
    else:
        available = min(item.shipped_quantity, item.quantity - item.refunded_quantity)
        if available == 0:
            raise AfterSaleError(_("该商品还未发货，请申请“未发货仅退款”。"))
    if order.status == OrderStatus.COMPLETED:
        if type not in RETURN_TYPES:
            raise AfterSaleError(_("订单已完成，只能申请退货退款或换货。"))
        if timezone.now() > order.completed_at + timedelta(days=RETURN_WINDOW_DAYS):
            raise AfterSaleError(
                _("订单完成已超过 %(days)s 天，不能再申请售后。") % {"days": RETURN_WINDOW_DAYS}
            )
    if not 1 <= quantity <= available:
        message = _("申请数量须在 1 到 %(n)s 件之间。") % {"n": available}
        raise AfterSaleError(message, fields={"quantity": [message]})


def _check_refund(item: OrderItem, type: int, refund_fen: int) -> None:
    if type == T.EXCHANGE:
        if refund_fen:
            message = _("换货不退款，退款金额应为 0。")
            raise AfterSaleError(message, fields={"refund_fen": [message]})
        return
    left = refundable_fen(item)
    if not 1 <= refund_fen <= left:
        message = _("退款金额须在 ¥0.01 到 ¥%(max)s 之间（该商品实付减去已退款）。") % {
            "max": fen_to_yuan(left)
        }
        raise AfterSaleError(message, fields={"refund_fen": [message]})


@transaction.atomic
def aftersale_open(
    *,
    item_id: int,
    type: int,
    quantity: int,
    refund_fen: int,
    reason: str,
    description: str = "",
) -> AfterSale:
    """The buyer asks for an after-sale on one child order (one open at a time)."""
    order_id = OrderItem.objects.values_list("order_id", flat=True).get(pk=item_id)
    lock_order(order_id)
    item = OrderItem.objects.select_related("order").get(pk=item_id)
    if type not in T.values:
        raise AfterSaleError(_("请选择售后类型。"), fields={"type": [_("请选择售后类型。")]})
    reason = (reason or "").strip()
    if not reason:
        raise AfterSaleError(_("请填写售后原因。"), fields={"reason": [_("请填写售后原因。")]})
    open_no = (
        item.aftersales.filter(status__in=OPEN_AFTERSALE_STATUSES)
        .values_list("aftersale_no", flat=True)
        .first()
    )
    if open_no:
        raise AfterSaleError(
            _("该商品已有进行中的售后单 %(no)s，请等待处理或先撤销。") % {"no": open_no}
        )
    _check_window(item, type, int(quantity))
    _check_refund(item, type, int(refund_fen))
    aftersale = AfterSale(
        shop_id=item.shop_id,
        order_id=item.order_id,
        item=item,
        type=type,
        quantity=int(quantity),
        refund_fen=int(refund_fen),
        reason=reason,
        description=(description or "").strip(),
    )
    aftersale.aftersale_no = "0" * 19  # numbered on insert
    clean_or_raise(aftersale, AfterSaleError, exclude=["shop", "order", "item"])
    save_numbered([aftersale], "aftersale_no", AfterSale)
    _record(aftersale, None, actor=None, actor_label=_("买家"), note=reason)
    return aftersale


@transaction.atomic
def aftersale_buyer_return(*, aftersale_id: int, carrier: str, tracking_no: str) -> AfterSale:
    """The buyer sent the goods back: 待买家退货 → 待商家收货."""
    carrier, tracking_no = (carrier or "").strip(), (tracking_no or "").strip()
    fields = {}
    if not carrier:
        fields["carrier"] = [_("请填写退货快递公司。")]
    if not tracking_no:
        fields["tracking_no"] = [_("请填写退货运单号。")]
    if fields:
        raise AfterSaleError(" ".join(m for msgs in fields.values() for m in msgs), fields=fields)
    aftersale = _lock(aftersale_id)
    aftersale.return_carrier = carrier[:30]
    aftersale.return_tracking_no = tracking_no[:40]
    aftersale.save(update_fields=["return_carrier", "return_tracking_no", "updated_at"])
    return aftersale_set_status(
        aftersale_id=aftersale_id,
        to_status=A.AWAITING_MERCHANT_RECEIPT,
        actor_label=_("买家"),
        note=Said("return_parcel", {"carrier": carrier, "no": tracking_no}),
    )


@transaction.atomic
def aftersale_cancel(*, aftersale_id: int) -> AfterSale:
    """The buyer withdraws the request → 售后关闭."""
    aftersale = _lock(aftersale_id)
    if aftersale.status not in (A.AWAITING_MERCHANT, A.AWAITING_BUYER_RETURN):
        raise AfterSaleRefused(
            _("售后单 %(no)s 当前为“%(status)s”，不能撤销。")
            % {"no": aftersale.aftersale_no, "status": aftersale.get_status_display()}
        )
    return aftersale_set_status(
        aftersale_id=aftersale_id, to_status=A.CLOSED, actor_label=_("买家"), note=Said("withdrawn")
    )


# --- merchant -------------------------------------------------------------------------


def _scoped(context: ConsoleContext, aftersale_id: int) -> AfterSale:
    context.require_perm(Perm.AFTERSALE_HANDLE)
    get_scoped_or_404(AfterSale.objects.all(), context, pk=aftersale_id)
    return _lock(aftersale_id)


def _refund(aftersale: AfterSale, *, actor) -> AfterSale:
    """Pay the refund back: count it on the item, restock what comes back, let the
    order's status follow (all refunded before shipping → 已取消), then 售后成功."""
    item = OrderItem.objects.select_for_update().get(pk=aftersale.item_id)
    if aftersale.refund_fen > refundable_fen(item):
        raise AfterSaleError(
            _("退款 ¥%(want)s 超过该商品可退金额 ¥%(left)s。")
            % {"want": fen_to_yuan(aftersale.refund_fen), "left": fen_to_yuan(refundable_fen(item))}
        )
    quantity = min(aftersale.quantity, item.quantity - item.refunded_quantity)
    item.refunded_quantity += quantity
    item.refunded_fen += aftersale.refund_fen
    item.save(update_fields=["refunded_quantity", "refunded_fen"])
    if aftersale.type in RESTOCK_TYPES and item.sku_id and quantity:
        sku_release_stock(
            lines=[(item.sku_id, quantity)],
            reason=StockMoveReason.REFUND,
            actor=actor,
            note=Said("aftersale_refund", {"no": aftersale.aftersale_no}),
        )
    aftersale = aftersale_set_status(
        aftersale_id=aftersale.pk,
        to_status=A.SUCCEEDED,
        actor=actor,
        note=Said("refunded", {"amount": fen_to_yuan(aftersale.refund_fen)}),
    )
    record_refund(aftersale)
    order = order_set_status(order_id=aftersale.order_id, actor=actor, note=Said("refund_recount"))
    if order.status == OrderStatus.CANCELLED and not order.cancel_reason:
        order.cancel_reason = _("买家已全额退款")
        order.save(update_fields=["cancel_reason", "updated_at"])
    return aftersale


@transaction.atomic
def aftersale_agree(*, context: ConsoleContext, aftersale_id: int) -> AfterSale:
    """同意: refund-only types are refunded at once; return types wait for the goods."""
    aftersale = _scoped(context, aftersale_id)
    user = context_user(context)
    if aftersale.status != A.AWAITING_MERCHANT:
        raise AfterSaleRefused(
            _("售后单 %(no)s 当前为“%(status)s”，不能同意。")
            % {"no": aftersale.aftersale_no, "status": aftersale.get_status_display()}
        )
    if aftersale.type in RETURN_TYPES:
        return aftersale_set_status(
            aftersale_id=aftersale.pk,
            to_status=A.AWAITING_BUYER_RETURN,
            actor=user,
            note=Said("agreed"),
        )
    return _refund(aftersale, actor=user)


@transaction.atomic
def aftersale_reject(*, context: ConsoleContext, aftersale_id: int, reason: str) -> AfterSale:
    reason = (reason or "").strip()
    if not reason:
        raise AfterSaleError(
            _("请填写拒绝原因，买家会看到它。"), fields={"reason": [_("请填写拒绝原因。")]}
        )
    aftersale = _scoped(context, aftersale_id)
    aftersale.reject_reason = reason[:200]
    aftersale.save(update_fields=["reject_reason", "updated_at"])
    return aftersale_set_status(
        aftersale_id=aftersale.pk,
        to_status=A.REJECTED,
        actor=context_user(context),
        note=reason,
    )


@transaction.atomic
def aftersale_confirm_received(*, context: ConsoleContext, aftersale_id: int) -> AfterSale:
    """确认收货 of the returned goods: refund (退货退款) or ship the exchange (换货)."""
    aftersale = _scoped(context, aftersale_id)
    user = context_user(context)
    if aftersale.status != A.AWAITING_MERCHANT_RECEIPT:
        raise AfterSaleRefused(
            _("售后单 %(no)s 当前为“%(status)s”，不能确认收货。")
            % {"no": aftersale.aftersale_no, "status": aftersale.get_status_display()}
        )
    if aftersale.type == T.EXCHANGE:
        return aftersale_set_status(
            aftersale_id=aftersale.pk,
            to_status=A.AWAITING_EXCHANGE_SHIPMENT,
            actor=user,
            note=Said("received_exchange"),
        )
    return _refund(aftersale, actor=user)


@transaction.atomic
def aftersale_ship_exchange(*, aftersale_id: int, actor=None, note: Said | str = "") -> AfterSale:
    """The exchange went out (logistics calls this): 待商家发货 → 售后成功."""
    return aftersale_set_status(
        aftersale_id=aftersale_id,
        to_status=A.SUCCEEDED,
        actor=actor,
        note=note or Said("exchange_shipped"),
    )
