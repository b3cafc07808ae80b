"""Paying a refund back: counted on the item, restocked when the goods come back (or
never left), and the order's status follows."""

from django.utils.translation import gettext as _

from core.models import Said
from core.money import fen_to_yuan
from products.models import StockMoveReason
from products.services import sku_release_stock

from ..exceptions import AfterSaleError
from ..models import AfterSale, AfterSaleStatus, AfterSaleType, OrderItem, OrderStatus
from ..stats.rollups import record_refund
from ..status import order_set_status
from .machine import RESTOCK_TYPES, aftersale_set_status

A = AfterSaleStatus
T = AfterSaleType


def refundable_fen(item: OrderItem) -> int:
    return item.paid_fen - item.refunded_fen


def refund_locked(aftersale: AfterSale, *, actor) -> AfterSale:
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
