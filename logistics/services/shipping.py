"""Ways to ship orders, each ending in `shipments_create`: one order (all that is owed,
or chosen quantities), several orders each in its own parcel, 合并发货, and the
exchange parcel of a 换货 after-sale."""

from django.http import Http404
from django.utils.translation import gettext as _

from orders.models import OPEN_AFTERSALE_STATUSES, AfterSale, Order
from shops.tenancy import ConsoleContext, scope

from ..exceptions import ShipRequestInvalid
from ..models import Carrier
from .shipments import ShipOutcome, ShipRequest, shipments_create


def _to_ship_orders(context: ConsoleContext, order_ids) -> list[Order]:
    """The shop's orders by id with their items (404 when one is not the shop's)."""
    wanted = {int(order_id) for order_id in order_ids}
    orders = list(
        scope(Order.objects.filter(pk__in=wanted), context).prefetch_related("items").order_by("pk")
    )
    if len(orders) != len(wanted):
        raise Http404
    return orders


def _remaining_lines(order: Order) -> list[tuple[int, int]]:
    return [(item.pk, item.quantity_to_ship) for item in order.items.all() if item.quantity_to_ship]


def order_ship(
    *,
    context: ConsoleContext,
    order_id: int,
    carrier: Carrier,
    tracking_no: str,
    quantities: dict[int, int] | None = None,
) -> ShipOutcome:
    """Ship one order in one parcel: the given quantities per item (partial shipping),
    or everything still owed when `quantities` is None."""
    (order,) = _to_ship_orders(context, [order_id])
    if quantities is None:
        lines = _remaining_lines(order)
    else:
        own = {item.pk for item in order.items.all()}
        if set(quantities) - own:
            raise Http404
        lines = [(item_id, qty) for item_id, qty in quantities.items() if qty]
    if not lines:
        raise ShipRequestInvalid(
            _("订单 %(no)s 没有待发货的商品，请至少填写一件商品的发货数量。")
            % {"no": order.order_no},
            fields={"quantity": [_("请填写发货数量。")]},
        )
    return shipments_create(
        context=context,
        requests=[ShipRequest(carrier=carrier, tracking_no=tracking_no, lines=lines)],
    )


def orders_ship_each(
    *, context: ConsoleContext, entries: list[tuple[int, Carrier, str]]
) -> ShipOutcome:
    """Several orders, each in its own parcel with its own carrier and number (the
    order list's 批量发货 form): everything still owed, all or none."""
    orders = {o.pk: o for o in _to_ship_orders(context, [order_id for order_id, *_r in entries])}
    requests = []
    for order_id, carrier, tracking_no in entries:
        order = orders[int(order_id)]
        lines = _remaining_lines(order)
        if not lines:
            raise ShipRequestInvalid(_("订单 %(no)s 没有待发货的商品。") % {"no": order.order_no})
        requests.append(ShipRequest(carrier=carrier, tracking_no=tracking_no, lines=lines))
    return shipments_create(context=context, requests=requests)


def orders_merge_ship(
    *, context: ConsoleContext, order_ids, carrier: Carrier, tracking_no: str
) -> ShipOutcome:
    """合并发货: orders of one receiver in one parcel, everything still owed. Orders with
    an open after-sale never merge."""
    orders = _to_ship_orders(context, order_ids)
    if len(orders) < 2:
        raise ShipRequestInvalid(_("合并发货请至少选择两个订单。"))
    open_aftersale = (
        AfterSale.objects.filter(order__in=orders, status__in=OPEN_AFTERSALE_STATUSES)
        .select_related("order")
        .first()
    )
    if open_aftersale is not None:
        raise ShipRequestInvalid(
            _("订单 %(order)s 有进行中的售后单 %(no)s，不能合并发货。")
            % {"order": open_aftersale.order.order_no, "no": open_aftersale.aftersale_no}
        )
    lines = [line for order in orders for line in _remaining_lines(order)]
    return shipments_create(
        context=context,
        requests=[ShipRequest(carrier=carrier, tracking_no=tracking_no, lines=lines)],
    )


def aftersale_ship(
    *, context: ConsoleContext, aftersale_id: int, carrier: Carrier, tracking_no: str
) -> ShipOutcome:
    """The exchange parcel of a 换货 after-sale waiting for the merchant to ship."""
    return shipments_create(
        context=context,
        requests=[ShipRequest(carrier=carrier, tracking_no=tracking_no, aftersale_id=aftersale_id)],
    )
