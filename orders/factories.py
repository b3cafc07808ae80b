"""Orders built through the real services; shared by the tests and seed_demo.

`OrderFactory(shop=shop)` places an order for one unit of a new product and takes it to
`status` (default 2 备货中) through the same services a buyer, the payment provider and
logistics use: `OrderFactory(status=OrderStatus.SHIPPED, lines=[(sku.pk, 2)])`.
"""

import secrets

import factory
from django.utils import timezone

from products.factories import ProductFactory
from shops.factories import ShopFactory

from . import services
from .models import Order, OrderStatus, PayMethod
from .shipping import order_record_shipment

RECEIVER = {
    "name": "张三",
    "phone": "13812345678",
    "province": "浙江省",
    "city": "杭州市",
    "district": "西湖区",
    "street": "文新街道",
    "detail": "文三路 100 号 2 幢 301 室",
}
BUYER = {"id": "buyer-0001", "nickname": "抖音用户0001"}


def pay(order: Order, *, paid_at=None, pay_method: int = PayMethod.DOUYIN_PAY) -> Order:
    """Pay in full and accept, as the provider's callback and order_accept_task do."""
    services.order_pay(
        order_id=order.pk,
        payment_id=f"TEST{secrets.token_hex(8)}",
        amount_fen=order.paid_fen,
        pay_method=pay_method,
        provider="test",
        paid_at=paid_at or timezone.now(),
    )
    return services.order_accept(order_id=order.pk)


def ship(order: Order, *, partly: bool = False) -> Order:
    """Ship everything still owed (or one unit of the first item when `partly`)."""
    items = [item for item in order.items.order_by("pk") if item.quantity_to_ship]
    lines = [(items[0].pk, 1)] if partly else [(i.pk, i.quantity_to_ship) for i in items]
    return order_record_shipment(order_id=order.pk, lines=lines)


def advance(order: Order, status: int) -> Order:
    """Take a new unpaid order to `status` the way it would really get there."""
    if status == OrderStatus.UNPAID:
        return order
    if status == OrderStatus.CANCELLED:
        return services.order_cancel(order_id=order.pk, reason="买家不想要了", actor_label="买家")
    order = pay(order)
    if status == OrderStatus.AWAITING_SHIPMENT:
        return order
    if status == OrderStatus.PARTIALLY_SHIPPED:
        return ship(order, partly=True)
    order = ship(order)
    if status == OrderStatus.COMPLETED:
        order = services.order_complete(order_id=order.pk, actor_label="买家")
    return order


class OrderFactory(factory.Factory):
    class Meta:
        model = Order

    shop = factory.SubFactory(ShopFactory)
    # (sku id, quantity) lines; None: a new ¥99.00 product of the shop, one unit (two
    # when the order is to be partly shipped).
    lines = None
    receiver = factory.LazyFunction(lambda: dict(RECEIVER))
    buyer = factory.LazyFunction(lambda: dict(BUYER))
    attribution = None
    buyer_words = ""
    shipping_fen = 0
    status = OrderStatus.AWAITING_SHIPMENT

    @classmethod
    def _create(cls, model_class, *, lines, status, **kwargs):
        if lines is None:
            product = ProductFactory(shop=kwargs["shop"])
            quantity = 2 if status == OrderStatus.PARTIALLY_SHIPPED else 1
            lines = [(product.skus.get().pk, quantity)]
        order = services.order_place(lines=lines, **kwargs)
        return advance(order, status)
