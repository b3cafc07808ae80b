"""Parcels in the order an ERP syncs (orders.sync_api asks each app for its part)."""

from .models import Shipment
from .serializers import ShipmentSerializer


def parcels_by_order(order_ids: list[int]) -> dict[int, list]:
    """The parcels of these orders (already scoped by the caller), per order."""
    shipments = (
        Shipment.objects.filter(lines__order_id__in=order_ids)
        .distinct()
        .select_related("carrier")
        .prefetch_related("lines", "tracking_events")
        .order_by("id")
    )
    by_order: dict[int, list] = {}
    for shipment in shipments:
        data = ShipmentSerializer(shipment).data
        for order_id in sorted({line.order_id for line in shipment.lines.all()}):
            by_order.setdefault(order_id, []).append(data)
    return by_order
