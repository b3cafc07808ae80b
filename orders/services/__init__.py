"""Every write to orders except shipping (orders.shipping) and after-sales
(orders.aftersales), by concern: placing (checkout), paying and accepting (payment),
cancelling, signing and completing (lifecycle), remarks and receiver reveals (console),
and the timers. Status changes go through orders.status.order_set_status."""

from .checkout import MAX_LINE_QUANTITY, order_place
from .console import order_reveal_receiver, order_update_remark
from .lifecycle import order_cancel, order_complete, order_mark_signed
from .numbers import new_number, save_numbered
from .payment import order_accept, order_pay
from .timers import orders_cancel_unpaid, orders_complete_due

__all__ = [
    "MAX_LINE_QUANTITY",
    "new_number",
    "order_accept",
    "order_cancel",
    "order_complete",
    "order_mark_signed",
    "order_pay",
    "order_place",
    "order_reveal_receiver",
    "order_update_remark",
    "orders_cancel_unpaid",
    "orders_complete_due",
    "save_numbered",
]
