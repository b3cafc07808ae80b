"""Helpers shared by the shipping tests: parcels through the one shipping service."""

from logistics.services import ShipRequest, shipments_create
from orders import aftersales
from orders.models import AfterSaleType


def lines_of(order):
    """Every item of `order` with what is still owed."""
    return [(item.pk, item.quantity_to_ship) for item in order.items.all()]


def ship(ctx, carrier, tracking_no, lines, **kwargs):
    """One parcel of `lines` through `shipments_create`."""
    return shipments_create(
        context=ctx,
        requests=[ShipRequest(carrier=carrier, tracking_no=tracking_no, lines=lines)],
        **kwargs,
    )


def open_aftersale(item, type=AfterSaleType.UNSHIPPED_REFUND_ONLY):
    return aftersales.aftersale_open(
        item_id=item.pk,
        type=type,
        quantity=1,
        refund_fen=item.paid_fen if type != AfterSaleType.EXCHANGE else 0,
        reason="不想要了",
    )
