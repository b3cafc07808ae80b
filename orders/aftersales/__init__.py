"""After-sales (售后) on child orders: the state machine and every write to it.

The buyer opens, returns goods and withdraws (apply); the merchant agrees, rejects,
confirms the returned goods and ships the exchange (review). A successful refund (refund)
counts against the item, returns the quantity to stock when the goods come back (or never
left), and may cancel an order whose every item was refunded before shipping. Every
status change goes through machine.aftersale_set_status.
"""

from .apply import aftersale_buyer_return, aftersale_cancel, aftersale_open
from .machine import MACHINE, TRANSITIONS, aftersale_set_status
from .refund import refundable_fen
from .review import (
    aftersale_agree,
    aftersale_confirm_received,
    aftersale_reject,
    aftersale_ship_exchange,
)

__all__ = [
    "MACHINE",
    "TRANSITIONS",
    "aftersale_agree",
    "aftersale_buyer_return",
    "aftersale_cancel",
    "aftersale_confirm_received",
    "aftersale_open",
    "aftersale_reject",
    "aftersale_set_status",
    "aftersale_ship_exchange",
    "refundable_fen",
]
