"""Logistics' panels on orders' pages (registered in LogisticsConfig.ready through
orders.panels): on the console's order detail the 发货 / 打印面单 buttons, the parcels
with their tracking and the ship form; on the after-sale detail the exchange parcel
form; on the buyer's order page the parcels. Whether a button shows is orders' rule
(orders.rules), the same one its services refuse by."""

from django.utils import timezone

from orders import panels, rules
from shops.roles import Perm

from .forms import OrderShipForm, ShipForm, carrier_choices
from .selectors import is_no_scan, order_parcels


def _may_ship(request, order) -> bool:
    """The role may ship and something of the order may ship now (the order detail's
    selector prefetches its items and after-sales)."""
    return request.console.has_perm(Perm.ORDER_SHIP) and bool(
        rules.items_to_ship(order, order.items.all(), order.aftersales.all())
    )


def order_list_bulk(request, _none) -> dict | None:
    """勾选订单发货 in the order list's bar: the ticked orders go to 批量发货."""
    return {} if request.console.has_perm(Perm.ORDER_SHIP) else None


def order_actions(request, order) -> dict | None:
    """订单操作: 发货 (jumps to the form below) and 打印面单."""
    can_ship = _may_ship(request, order)
    can_print = request.console.has_perm(Perm.WAYBILL_PRINT) and order.shipped_at is not None
    if not (can_ship or can_print):
        return None
    return {"order": order, "can_ship": can_ship, "can_print": can_print}


def order_shipping(request, order) -> dict:
    """包裹与物流: the parcels so far with their tracking and, while something may
    still ship, the form for the next parcel."""
    now = timezone.now()
    parcels = order_parcels(order.pk)
    for parcel in parcels:
        parcel.no_scan = is_no_scan(parcel, now)
    form = None
    if _may_ship(request, order):
        form = OrderShipForm(order=order, shared_choices=carrier_choices())
    return {"order": order, "parcels": parcels, "form": form}


def aftersale_shipping(request, aftersale) -> dict | None:
    """发出换货: the exchange parcel of a 换货 waiting for the merchant to ship."""
    if not (request.console.has_perm(Perm.ORDER_SHIP) and rules.can_ship_exchange(aftersale)):
        return None
    return {"aftersale": aftersale, "form": ShipForm(prefix="exchange")}


def buyer_parcels(request, order) -> dict:
    """The buyer's view of the parcels: carrier, number, what is inside, the timeline."""
    return {"order": order, "parcels": order_parcels(order.pk), "buyer": True}


def register() -> None:
    panels.register_panel(
        panels.ORDER_LIST_BULK, "ship", "logistics/_order_list_bulk.html", order_list_bulk
    )
    panels.register_panel(
        panels.ORDER_ACTIONS, "shipping", "logistics/_order_actions.html", order_actions, order=10
    )
    panels.register_panel(
        panels.ORDER_DETAIL, "parcels", "logistics/_order_shipping.html", order_shipping, order=10
    )
    panels.register_panel(
        panels.AFTERSALE_ACTIONS,
        "exchange",
        "logistics/_exchange_ship.html",
        aftersale_shipping,
        order=10,
    )
    panels.register_panel(
        panels.BUYER_ORDER, "parcels", "logistics/_buyer_parcels.html", buyer_parcels, order=10
    )
