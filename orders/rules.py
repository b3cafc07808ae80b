"""What may be done to an order or an after-sale now: the predicates behind every button
the console and the buyer's pages show, and the guards of the services that do it, so a
page never offers what the service would refuse. Shipping eligibility is
`orders.shipping.shipping_problems`; `items_to_ship` is its answer for a whole order."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AfterSaleStatus, AfterSaleType, OrderStatus
from .shipping import shipping_problems

A = AfterSaleStatus
S = OrderStatus
T = AfterSaleType

# Return types may be opened up to this many days after the order completed.
RETURN_WINDOW_DAYS = 7
# The goods come back before the merchant refunds or exchanges them.
RETURN_TYPES = (T.RETURN_REFUND, T.EXCHANGE)
# No after-sale before the order is paid and accepted, nor once cancelled.
_NO_AFTERSALE = (S.UNPAID, S.PAID, S.CANCELLED)


# --- orders ---------------------------------------------------------------------------


def can_pay(order) -> bool:
    return order.status == S.UNPAID


def can_cancel(order) -> bool:
    """关闭订单 / 取消订单: only unpaid; a paid order is refunded through an after-sale."""
    return order.status == S.UNPAID


def items_to_ship(order, items, aftersales) -> list:
    """The items of `order` that may ship now (owed, no open after-sale): what the ship
    button and form are for. Asks the shipping service's own rule."""
    open_aftersales = {a.item_id: a for a in aftersales if a.is_open}
    owed = [(item, item.quantity_to_ship) for item in items if item.quantity_to_ship]
    problems = shipping_problems(order, owed, open_aftersales)
    if None in problems:
        return []
    return [item for item, _quantity in owed if item.pk not in problems]


# --- opening an after-sale (the buyer) ------------------------------------------------


def aftersale_units(item, type: int) -> int:
    """How many units of `item` an after-sale of `type` may cover: what is still owed
    before shipping (未发货仅退款), else what was shipped and not refunded."""
    if type == T.UNSHIPPED_REFUND_ONLY:
        return item.quantity_to_ship
    return min(item.shipped_quantity, item.quantity - item.refunded_quantity)


def aftersale_refusal(item, type: int, *, now=None) -> str | None:
    """Why the buyer may not open an after-sale of `type` on `item` now, or None."""
    order = item.order
    if order.status in _NO_AFTERSALE:
        return _("订单当前为“%(status)s”，不能申请售后。") % {"status": order.get_status_display()}
    if type == T.UNSHIPPED_REFUND_ONLY:
        if order.status not in (S.AWAITING_SHIPMENT, S.PARTIALLY_SHIPPED):
            return _("订单已发货，请申请“已发货仅退款”或“退货退款”。")
        if aftersale_units(item, type) == 0:
            return _("该商品已全部发货，请申请“已发货仅退款”或“退货退款”。")
    elif aftersale_units(item, type) == 0:
        return _("该商品还未发货，请申请“未发货仅退款”。")
    if order.status == S.COMPLETED:
        if type not in RETURN_TYPES:
            return _("订单已完成，只能申请退货退款或换货。")
        if (now or timezone.now()) > order.completed_at + timedelta(days=RETURN_WINDOW_DAYS):
            return _("订单完成已超过 %(days)s 天，不能再申请售后。") % {"days": RETURN_WINDOW_DAYS}
    return None


def aftersale_types_open(item, *, has_open: bool = False, now=None) -> list[int]:
    """The types the buyer may ask for on `item` now (none while one is open): the
    form offers exactly what aftersale_open accepts."""
    if has_open:
        return []
    return [t for t in sorted(T.values) if aftersale_refusal(item, t, now=now) is None]


# --- after-sales in progress ----------------------------------------------------------


def can_agree(aftersale) -> bool:
    return aftersale.status == A.AWAITING_MERCHANT


def can_reject(aftersale) -> bool:
    return aftersale.status == A.AWAITING_MERCHANT


def agree_awaits_return(aftersale) -> bool:
    """同意 asks the buyer to send the goods back (退货退款, 换货) rather than refunding."""
    return aftersale.type in RETURN_TYPES


def can_receive_return(aftersale) -> bool:
    """确认收货 of the goods the buyer sent back."""
    return aftersale.status == A.AWAITING_MERCHANT_RECEIPT


def can_send_return(aftersale) -> bool:
    """The buyer may give the return parcel's carrier and number."""
    return aftersale.status == A.AWAITING_BUYER_RETURN


def can_withdraw(aftersale) -> bool:
    """撤销申请 by the buyer: before the goods are on their way back."""
    return aftersale.status in (A.AWAITING_MERCHANT, A.AWAITING_BUYER_RETURN)


def can_ship_exchange(aftersale) -> bool:
    """The merchant may send the exchange parcel (换货, goods received)."""
    return aftersale.type == T.EXCHANGE and aftersale.status == A.AWAITING_EXCHANGE_SHIPMENT
