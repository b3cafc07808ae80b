"""What logistics adds to the order file (orders.files): the 快递信息 column, as SQL
PostgreSQL evaluates inside the export's COPY. Registered in LogisticsConfig.ready."""

# Every parcel of the order `o`, oldest first: "运单号-快递公司", joined by ";". Reached
# from the order's shipment lines (indexed by order), each parcel once.
TRACKING_SQL = (
    "(SELECT string_agg(s.tracking_no || '-' || c.name, ';' ORDER BY s.shipped_at, s.id) "
    "FROM logistics_shipment s JOIN logistics_carrier c ON c.id = s.carrier_id "
    "WHERE s.id IN (SELECT l.shipment_id FROM logistics_shipmentline l WHERE l.order_id = o.id))"
)
