"""Recording shipped quantities: the service logistics calls for every parcel, one at a
time or thousands from a batch file. It knows nothing of carriers or waybills."""

from collections import defaultdict

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from core.models import Said

from .exceptions import ShipmentRefused
from .models import OPEN_AFTERSALE_STATUSES, AfterSale, OrderEventKind, OrderItem
from .status import STATUS_FIELDS, TO_SHIP, apply_status_to_locked, lock_orders

# --- the one shipping-eligibility rule -----------------------------------------------


def order_unshippable_reason(order) -> str | None:
    """Why nothing of `order` may ship now (its status), or None."""
    if order.status in TO_SHIP:
        return None
    return _("订单 %(no)s 当前为“%(status)s”，不能发货。") % {
        "no": order.order_no,
        "status": order.get_status_display(),
    }


def shipping_problems(order, lines, open_aftersales: dict, *, owed: dict | None = None) -> dict:
    """Why (item, quantity) `lines` of `order` cannot ship: {None: reason} for the whole
    order, else {item id: reason} per item (an open after-sale, named; more than is
    owed). Empty when all can ship. The shipping service and the batch preview both
    ask this. `open_aftersales`: item id → its open AfterSale; `owed`: item id → what
    is left to ship when the caller has planned some already (a batch file's rows)."""
    reason = order_unshippable_reason(order)
    if reason is not None:
        return {None: reason}
    problems = {}
    for item, quantity in lines:
        aftersale = open_aftersales.get(item.pk)
        left = item.quantity_to_ship if owed is None else owed.get(item.pk, 0)
        if aftersale is not None:
            problems[item.pk] = _(
                "子订单 %(item)s 有进行中的售后单 %(aftersale)s（%(type)s，%(status)s），"
                "处理完成前不能发货。"
            ) % {
                "item": item.item_no,
                "aftersale": aftersale.aftersale_no,
                "type": aftersale.get_type_display(),
                "status": aftersale.get_status_display(),
            }
        elif quantity > left:
            problems[item.pk] = _("子订单 %(item)s 待发货 %(left)s 件，不能发 %(want)s 件。") % {
                "item": item.item_no,
                "left": max(left, 0),
                "want": quantity,
            }
    return problems


@transaction.atomic
def orders_record_shipments(*, lines, actor=None, note: Said | str = "") -> list:
    """Record (order item id, quantity) lines as shipped, all or none.

    Locks the orders involved in pk order; refuses orders not waiting for shipment,
    items with an open after-sale (naming it) and quantities beyond what is still owed;
    then 101 部分发货 / 3 已发货 follow from the quantities (orders.status).
    """
    wanted: dict[int, int] = defaultdict(int)
    for item_id, quantity in lines:
        if int(quantity) <= 0:
            raise ShipmentRefused(_("发货数量必须大于 0。"))
        wanted[int(item_id)] += int(quantity)
    order_ids = set(OrderItem.objects.filter(pk__in=wanted).values_list("order_id", flat=True))
    orders = lock_orders(order_ids, only=STATUS_FIELDS)
    items_by_id = {
        item.pk: item
        for item in OrderItem.objects.filter(order_id__in=order_ids).only(
            "order_id", "item_no", "quantity", "shipped_quantity", "refunded_quantity"
        )
    }
    missing = set(wanted) - set(items_by_id)
    if missing:
        raise ShipmentRefused(
            _("子订单不存在：%(ids)s") % {"ids": ", ".join(map(str, sorted(missing)))}
        )
    open_aftersales = {
        aftersale.item_id: aftersale
        for aftersale in AfterSale.objects.filter(
            item_id__in=wanted, status__in=OPEN_AFTERSALE_STATUSES
        ).only("item_id", "aftersale_no", "type", "status")
    }
    lines_by_order = defaultdict(list)
    for item_id, quantity in wanted.items():
        lines_by_order[items_by_id[item_id].order_id].append((items_by_id[item_id], quantity))
    for order in orders:
        problems = shipping_problems(order, lines_by_order[order.pk], open_aftersales)
        if problems:
            raise ShipmentRefused(next(iter(problems.values())))

    shipped = []
    by_quantity: dict[int, list[int]] = defaultdict(list)
    for item_id, quantity in wanted.items():
        item = items_by_id[item_id]
        item.shipped_quantity += quantity
        shipped.append(item)
        by_quantity[quantity].append(item_id)
    # One UPDATE per distinct quantity (nearly always 1): the rows are locked with
    # their orders, and bulk_update's CASE expressions cost milliseconds a row.
    for quantity, item_ids in by_quantity.items():
        OrderItem.objects.filter(pk__in=item_ids).update(
            shipped_quantity=F("shipped_quantity") + quantity
        )
    by_order = defaultdict(list)
    for item in shipped:
        by_order[item.order_id].append(f"{item.item_no} ×{wanted[item.pk]}")
    items_by_order = defaultdict(list)
    for item in items_by_id.values():
        items_by_order[item.order_id].append(item)
    # One timeline entry per order: what shipped, and the status it led to.
    return apply_status_to_locked(
        orders,
        items_by_order,
        to_status=None,
        actor=actor,
        event_kind=OrderEventKind.SHIPMENT,
        event_notes={
            order_id: Said(
                "shipped",
                {
                    "via_code": getattr(note, "code", ""),
                    "via": getattr(note, "params", {}),
                    "items": parts,
                },
                note="" if isinstance(note, Said) else note,
            )
            for order_id, parts in by_order.items()
        },
    )


def order_record_shipment(*, order_id: int, lines, actor=None, note: Said | str = ""):
    """`orders_record_shipments` for lines of one order; returns the order."""
    item_order_ids = set(
        OrderItem.objects.filter(pk__in=[item_id for item_id, _q in lines]).values_list(
            "order_id", flat=True
        )
    )
    if item_order_ids != {order_id}:
        raise ShipmentRefused(_("发货明细不属于这个订单。"))
    return orders_record_shipments(lines=lines, actor=actor, note=note)[0]
