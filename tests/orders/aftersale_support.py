"""A buyer's after-sale request, as the console, API and filter tests need one."""

from orders import aftersales
from orders.models import AfterSaleType


def refund_request(order, type=AfterSaleType.UNSHIPPED_REFUND_ONLY):
    item = order.items.get()
    return aftersales.aftersale_open(
        item_id=item.pk, type=type, quantity=1, refund_fen=item.paid_fen, reason="拍错了"
    )
