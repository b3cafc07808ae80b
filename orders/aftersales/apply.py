"""The buyer's side: which types may be asked for, opening a request, sending the
goods back, withdrawing."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.exceptions import clean_or_raise
from core.models import Said
from core.money import fen_to_yuan

from .. import rules
from ..exceptions import AfterSaleError
from ..models import (
    OPEN_AFTERSALE_STATUSES,
    AfterSale,
    AfterSaleStatus,
    AfterSaleType,
    OrderItem,
)
from ..services import save_numbered
from ..status import lock_order
from .machine import (
    aftersale_set_status,
    lock_aftersale,
    record_event,
    refuse_unless,
)
from .refund import refundable_fen

A = AfterSaleStatus
T = AfterSaleType


def _check_window(item: OrderItem, type: int, quantity: int) -> None:
    """The type by orders.rules (the buyer's form offers the same types), then the
    quantity that type may cover."""
    refusal = rules.aftersale_refusal(item, type)
    if refusal is not None:
        raise AfterSaleError(refusal)
    available = rules.aftersale_units(item, type)
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
    record_event(aftersale, None, actor=None, actor_label=_("买家"), note=reason)
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
    aftersale = lock_aftersale(aftersale_id)
    refuse_unless(aftersale, rules.can_send_return(aftersale), _("提交退货物流"))
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
    aftersale = lock_aftersale(aftersale_id)
    refuse_unless(aftersale, rules.can_withdraw(aftersale), _("撤销"))
    return aftersale_set_status(
        aftersale_id=aftersale_id, to_status=A.CLOSED, actor_label=_("买家"), note=Said("withdrawn")
    )
