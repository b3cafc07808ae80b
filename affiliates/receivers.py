"""How affiliates reacts to orders (it may import orders; orders never imports it)."""

from collections import Counter

from orders.models import OrderItem, OrderStatus
from products.services import product_record_sales


def count_sales(sender, *, order_id, from_status, to_status, **kwargs):
    """销量, which 选品广场 sorts by: units count once paid, and stop counting when a paid
    order is cancelled (refunded in full before shipping)."""
    if to_status == OrderStatus.PAID:
        sign = 1
    elif to_status == OrderStatus.CANCELLED and from_status != OrderStatus.UNPAID:
        sign = -1
    else:
        return
    quantities = Counter()
    for product_id, quantity in OrderItem.objects.filter(
        order_id=order_id, product__isnull=False
    ).values_list("product_id", "quantity"):
        quantities[product_id] += sign * quantity
    product_record_sales(quantities=quantities)
