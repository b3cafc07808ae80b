"""Every write of 物流, split by concern. Every parcel goes through one service,
`shipments.shipments_create`; the rest call it or look after parcels already sent:

- `shipments`: `shipments_create` (one order, part of one, several orders each with its
  number, 合单, batch files, the API, exchanges all end here) and tracking-number claims;
- `shipping`: the console's and the API's ways to ship (`order_ship`, `orders_ship_each`,
  `orders_merge_ship`, `aftersale_ship`);
- `corrections`: `shipment_correct_tracking` within 24 hours;
- `tracking`: `tracking_record_push` (a carrier's events; 已签收 tells orders);
- `waybills`: `waybills_print` (the logged, counted PDF).

Callers import the services from here: `from logistics import services`.
"""

from .corrections import shipment_correct_tracking
from .shipments import ShipOutcome, ShipRequest, number_taken_message, shipments_create
from .shipping import aftersale_ship, order_ship, orders_merge_ship, orders_ship_each
from .tracking import PushResult, tracking_record_push
from .waybills import PrintResult, waybills_print

__all__ = [
    "PrintResult",
    "PushResult",
    "ShipOutcome",
    "ShipRequest",
    "aftersale_ship",
    "number_taken_message",
    "order_ship",
    "orders_merge_ship",
    "orders_ship_each",
    "shipment_correct_tracking",
    "shipments_create",
    "tracking_record_push",
    "waybills_print",
]
