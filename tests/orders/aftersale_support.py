"""A buyer's after-sale request, as the console, API and filter tests need one."""

from orders import aftersales
from orders.models import AfterSaleType


def item_refund_request(
    item, type=AfterSaleType.UNSHIPPED_REFUND_ONLY, *, quantity=1, reason="拍错了", refund_fen=None
):
    """The buyer asks for `quantity` of `item` back, for `refund_fen` (default: the whole
    amount paid for the item)."""
    return aftersales.aftersale_open(
        item_id=item.pk,
        type=type,
        quantity=quantity,
        refund_fen=item.paid_fen if refund_fen is None else refund_fen,
        reason=reason,
    )


def refund_request(order, type=AfterSaleType.UNSHIPPED_REFUND_ONLY, **kwargs):
    """item_refund_request of the order's one item."""
    return item_refund_request(order.items.get(), type, **kwargs)
