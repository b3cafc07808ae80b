"""Recording shipped quantities: the service logistics calls for every parcel, one at a
time or thousands from a batch file. It knows nothing of carriers or waybills."""

from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from .exceptions import ShipmentRefused
from .models import OPEN_AFTERSALE_STATUSES, AfterSale, OrderEvent, OrderEventKind, OrderItem
from .status import TO_SHIP, lock_orders, orders_set_status


def _refuse_if_unshippable(orders, items_by_id, wanted, open_aftersales) -> None:
    for order in orders:
        if order.status not in TO_SHIP:
            raise ShipmentRefused(
                _("订单 %(no)s 当前为“%(status)s”，不能发货。")
                % {"no": order.order_no, "status": order.get_status_display()}
            )
    for item_id, quantity in wanted.items():
        item = items_by_id[item_id]
        if item_id in open_aftersales:
            raise ShipmentRefused(
                _("子订单 %(item)s 有进行中的售后单 %(aftersale)s，处理完成前不能发货。")
                % {"item": item.item_no, "aftersale": open_aftersales[item_id]}
            )
        if quantity > item.quantity_to_ship:
            raise ShipmentRefused(
                _("子订单 %(item)s 待发货 %(left)s 件，不能发 %(want)s 件。")
                % {"item": item.item_no, "left": item.quantity_to_ship, "want": quantity}
            )


@transaction.atomic
def orders_record_shipments(*, lines, actor=None, note: str = "") -> list:
    """Record (order item id, quantity) lines as shipped, all or none.

    Locks the orders involved in pk order; refuses orders not waiting for shipment,
    items with an open after-sale (naming it) and quantities beyond what is still owed;
    then 101 部分发货 / 3 已发货 follow from the quantities through `orders_set_status`.
    """
    wanted: dict[int, int] = defaultdict(int)
    for item_id, quantity in lines:
        if int(quantity) <= 0:
            raise ShipmentRefused(_("发货数量必须大于 0。"))
        wanted[int(item_id)] += int(quantity)
    order_ids = set(OrderItem.objects.filter(pk__in=wanted).values_list("order_id", flat=True))
    orders = lock_orders(order_ids)
    items_by_id = {item.pk: item for item in OrderItem.objects.filter(order_id__in=order_ids)}
    missing = set(wanted) - set(items_by_id)
    if missing:
        raise ShipmentRefused(
            _("子订单不存在：%(ids)s") % {"ids": ", ".join(map(str, sorted(missing)))}
        )
    open_aftersales = dict(
        AfterSale.objects.filter(
            item_id__in=wanted, status__in=OPEN_AFTERSALE_STATUSES
        ).values_list("item_id", "aftersale_no")
    )
    _refuse_if_unshippable(orders, items_by_id, wanted, open_aftersales)

    shipped = []
    for item_id, quantity in wanted.items():
        item = items_by_id[item_id]
        item.shipped_quantity += quantity
        shipped.append(item)
    OrderItem.objects.bulk_update(shipped, ["shipped_quantity"])
    user = actor if getattr(actor, "is_authenticated", False) else None
    by_order = defaultdict(list)
    for item in shipped:
        by_order[item.order_id].append(f"{item.item_no} ×{wanted[item.pk]}")
    OrderEvent.objects.bulk_create(
        OrderEvent(
            order_id=order_id,
            kind=OrderEventKind.SHIPMENT,
            actor=user,
            note=((f"{note} " if note else "") + "、".join(parts))[:300],
        )
        for order_id, parts in by_order.items()
    )
    return orders_set_status(order_ids=order_ids, actor=actor, note=note)


def order_record_shipment(*, order_id: int, lines, actor=None, note: str = ""):
    """`orders_record_shipments` for lines of one order; returns the order."""
    item_order_ids = set(
        OrderItem.objects.filter(pk__in=[item_id for item_id, _q in lines]).values_list(
            "order_id", flat=True
        )
    )
    if item_order_ids != {order_id}:
        raise ShipmentRefused(_("发货明细不属于这个订单。"))
    return orders_record_shipments(lines=lines, actor=actor, note=note)[0]
