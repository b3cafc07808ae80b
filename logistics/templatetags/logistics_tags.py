"""Hooks other apps' templates use to show shipping: on the console's order detail the
ship form and the parcel timeline, on the after-sale detail the exchange parcel form,
and on the buyer's order page the parcels."""

from django import template
from django.utils import timezone

from orders.models import AfterSaleStatus, AfterSaleType
from orders.status import TO_SHIP
from shops.roles import Perm

from ..forms import OrderShipForm, ShipForm, carrier_choices
from ..selectors import is_no_scan, order_parcels

register = template.Library()


def _parcels(order):
    now = timezone.now()
    parcels = order_parcels(order.pk)
    for parcel in parcels:
        parcel.no_scan = is_no_scan(parcel, now)
    return parcels


@register.inclusion_tag("logistics/_order_actions.html", takes_context=True)
def order_shipping_actions(context, order):
    """The order detail's 订单操作 buttons: 发货 (jumps to the form) and 打印面单."""
    console = context["request"].console
    owed = any(item.quantity_to_ship for item in order.items.all())
    return {
        "order": order,
        "can_ship": console.has_perm(Perm.ORDER_SHIP) and order.status in TO_SHIP and owed,
        "can_print": console.has_perm(Perm.WAYBILL_PRINT) and order.shipped_at is not None,
        "csrf_token": context.get("csrf_token"),
        "request": context["request"],
    }


@register.inclusion_tag("logistics/_order_shipping.html", takes_context=True)
def order_shipping(context, order):
    """The order detail's 包裹与物流 panel: the parcels so far with their tracking, and,
    while something is still owed and the role may ship, the form for the next parcel."""
    console = context["request"].console
    form = None
    if console.has_perm(Perm.ORDER_SHIP) and order.status in TO_SHIP:
        form = OrderShipForm(order=order, shared_choices=carrier_choices())
    return {
        "order": order,
        "parcels": _parcels(order),
        "form": form if form is not None and form.owed else None,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("logistics/_exchange_ship.html", takes_context=True)
def aftersale_shipping(context, aftersale):
    """The exchange parcel form of a 换货 after-sale waiting for the merchant to ship."""
    console = context["request"].console
    waiting = (
        aftersale.type == AfterSaleType.EXCHANGE
        and aftersale.status == AfterSaleStatus.AWAITING_EXCHANGE_SHIPMENT
    )
    return {
        "aftersale": aftersale,
        "form": ShipForm(prefix="exchange")
        if waiting and console.has_perm(Perm.ORDER_SHIP)
        else None,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("logistics/_buyer_parcels.html")
def buyer_parcels(order):
    """The buyer's view of the parcels: carrier, number, what is inside, the timeline."""
    return {"order": order, "parcels": order_parcels(order.pk), "buyer": True}
