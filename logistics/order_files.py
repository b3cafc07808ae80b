"""What logistics adds to the order file (orders.files): the 快递信息 column, as SQL
PostgreSQL evaluates inside the export's COPY. Registered in LogisticsConfig.ready."""

# Every parcel of the order `o`, oldest first: "运单号-快递公司", joined by ";". Reached
# from the order's shipment lines (indexed by order), each parcel once.
TRACKING_SQL = (
    "(SELECT string_agg(p.text, ';' ORDER BY p.shipped_at, p.id) FROM ("
    "SELECT DISTINCT s.id, s.shipped_at, s.tracking_no || '-' || c.name AS text "
    "FROM logistics_shipmentline l JOIN logistics_shipment s ON s.id = l.shipment_id "
    "JOIN logistics_carrier c ON c.id = s.carrier_id WHERE l.order_id = o.id) p)"
)
