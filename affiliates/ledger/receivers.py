"""How money follows orders (affiliates listens; orders never imports it)."""

from django.utils.translation import gettext as _

from orders.models import AfterSaleStatus, Order, OrderStatus

from .services import (
    commissions_confirm,
    commissions_follow_order,
    commissions_follow_refunds,
    commissions_invalidate,
    commissions_record_paid,
)
from .settlement import settlement_follow_order

# Statuses that change money; shipping moves (2, 101, 3) do not.
MONEY_STATUSES = (OrderStatus.PAID, OrderStatus.COMPLETED, OrderStatus.CANCELLED)


def follow_order(sender, *, order_id, from_status, to_status, **kwargs):
    if to_status not in MONEY_STATUSES:
        return
    commissions_follow_order(order_id=order_id, from_status=from_status, to_status=to_status)
    settlement_follow_order(order_id=order_id)


def follow_aftersale(sender, *, order_id, to_status, **kwargs):
    """A successful after-sale may have refunded money (换货 refunds nothing: no entry)."""
    if to_status != AfterSaleStatus.SUCCEEDED:
        return
    commissions_follow_refunds(order_id=order_id)
    settlement_follow_order(order_id=order_id)


def ledger_catch_up(*, order_id: int) -> None:
    """Bring the ledger and the settlement of one order up to date with the order as it
    is now, whatever signals were missed (seed_demo runs inside one transaction, so its
    signals only arrive after it). Every step is idempotent."""
    status = Order.objects.values_list("status", flat=True).get(pk=order_id)
    if status == OrderStatus.UNPAID:
        return
    commissions_record_paid(order_id=order_id)
    commissions_follow_refunds(order_id=order_id)
    if status == OrderStatus.COMPLETED:
        commissions_confirm(order_id=order_id)
    if status == OrderStatus.CANCELLED:
        commissions_invalidate(order_id=order_id, reason=_("订单已取消"))
    settlement_follow_order(order_id=order_id)
