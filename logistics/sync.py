"""Parcels in the order an ERP syncs (orders.sync_api asks each app for its part)."""

from django.db.models import Prefetch

from .models import Shipment, ShipmentLine
from .serializers import ShipmentSerializer


def parcels_by_order(order_ids: list[int]) -> dict[int, list]:
    """The parcels of these orders (already scoped by the caller), per order. The lines
    come with their order and item numbers, and the parcels are serialised in one go:
    webhook delivery builds this for every batch, so no query per line or parcel."""
    lines = ShipmentLine.objects.select_related("order", "item").only(
        "shipment_id", "order_id", "item_id", "quantity", "order__order_no", "item__item_no"
    )
    shipments = list(
        Shipment.objects.filter(lines__order_id__in=order_ids)
        .distinct()
        .select_related("carrier")
        .prefetch_related(Prefetch("lines", queryset=lines), "tracking_events")
        .order_by("id")
    )
    by_order: dict[int, list] = {}
    for shipment, data in zip(
        shipments, ShipmentSerializer(shipments, many=True).data, strict=True
    ):
        for order_id in sorted({line.order_id for line in shipment.lines.all()}):
            by_order.setdefault(order_id, []).append(data)
    return by_order
