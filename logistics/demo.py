"""Demo parcels for seed_demo (idempotent).

- orders.demo ships its demo orders through `ship_demo_orders` (named in
  `LogisticsConfig.demo_order_shipper`): the shipping service, one parcel an order,
  dated when it went out.
- After the orders' and the ledger's demos, every item shipped without a parcel (the
  数据 history, inserted in bulk) gets its parcel, and every parcel a tracking journey:
  signed for completed orders, under way for the rest.
- One parcel per shop has had no scan for over 24 hours (无揽收记录).
- Two receivers per shop have several paid orders waiting, to show 合并发货.
- A couple of parcels are signed through the real tracking push, which restarts the
  order's auto-complete clock from the sign time.
"""

from datetime import timedelta

from django.utils import timezone

from orders.factories import OrderFactory
from orders.models import Order, OrderItem, OrderStatus
from products.models import ProductStatus, Sku
from shops.models import Shop

from . import services
from .factories import JOURNEY, carrier, journey, push_events, tracking_no_for
from .models import ParcelNumber, Shipment, ShipmentLine, TrackingEvent, TrackingStatus

DEMO_SHOPS = ["chaoliu", "xianguo"]
CARRIER_ROTATION = ["zhongtong", "yuantong", "shunfeng", "yunda", "jtexpress", "shentong"]
NO_SCAN_AGE = timedelta(hours=30)
MERGE_RECEIVERS = [
    {
        "name": "李小红",
        "phone": "13911112222",
        "province": "广东省",
        "city": "深圳市",
        "district": "南山区",
        "street": "粤海街道",
        "detail": "科技园南区 8 栋 1203",
    },
    {
        "name": "王大伟",
        "phone": "13722223333",
        "province": "四川省",
        "city": "成都市",
        "district": "武侯区",
        "street": "桂溪街道",
        "detail": "天府大道中段 666 号 3 单元 502",
    },
]
ORDERS_PER_MERGE_RECEIVER = 3


def seed(log) -> list[tuple[str, str]]:
    for shop in Shop.objects.filter(slug__in=DEMO_SHOPS).order_by("id"):
        parcels = _parcels_for_shipped_orders(shop)
        _track(shop)
        merged = _merge_candidates(shop)
        log(f"logistics: {shop.name}: {parcels} parcels, {merged} orders to merge")
    return []


def ship_demo_orders(context, parcels) -> None:
    """Ship each (order, [(item id, quantity)], shipped_at) of orders.demo as one parcel
    through the shipping service, then date it when it went out."""
    carriers = [carrier(code) for code in CARRIER_ROTATION]
    requests = []
    for order, lines, _at in parcels:
        chosen = carriers[order.pk % len(carriers)]
        number = tracking_no_for(chosen, order.pk)
        requests.append(services.ShipRequest(carrier=chosen, tracking_no=number, lines=lines))
    shipments = services.shipments_create(context=context, requests=requests).shipments
    for shipment, (_order, _lines, at) in zip(shipments, parcels, strict=True):
        shipment.shipped_at = at
    Shipment.objects.bulk_update(shipments, ["shipped_at"], batch_size=500)


def _parcels_for_shipped_orders(shop) -> int:
    """A parcel per already-shipped order without one, carrying its shipped quantities."""
    items = list(
        OrderItem.objects.filter(shop=shop, shipped_quantity__gt=0, shipment_lines__isnull=True)
        .select_related("order")
        .order_by("order_id", "id")
    )
    if not items:
        return 0
    carriers = [carrier(code) for code in CARRIER_ROTATION]
    by_order: dict[int, list[OrderItem]] = {}
    for item in items:
        by_order.setdefault(item.order_id, []).append(item)
    now = timezone.now()
    shipments = []
    for order_items in by_order.values():
        order = order_items[0].order
        chosen = carriers[order.pk % len(carriers)]
        shipments.append(
            Shipment(
                shop=shop,
                carrier=chosen,
                tracking_no=tracking_no_for(chosen, order.pk),
                shipped_at=order.shipped_at or now,
            )
        )
    Shipment.objects.bulk_create(shipments)
    ParcelNumber.objects.bulk_create(
        [ParcelNumber(shop=shop, carrier=s.carrier, tracking_no=s.tracking_no) for s in shipments],
        ignore_conflicts=True,
    )
    ShipmentLine.objects.bulk_create(
        ShipmentLine(shipment=shipment, order=item.order, item=item, quantity=item.shipped_quantity)
        for shipment, order_items in zip(shipments, by_order.values(), strict=True)
        for item in order_items
    )
    return len(shipments)


def _track(shop) -> None:
    """A tracking journey for every parcel of `shop` (once: a shop with tracking events
    is left alone), but for its oldest parcel in transit, which nobody scanned."""
    if TrackingEvent.objects.filter(shipment__shop=shop).exists():
        return
    now = timezone.now()
    shipments = list(Shipment.objects.filter(shop=shop, aftersale__isnull=True).order_by("pk"))
    status = dict(
        ShipmentLine.objects.filter(shipment__shop=shop).values_list("shipment_id", "order__status")
    )
    in_transit = [s for s in shipments if status[s.pk] == OrderStatus.SHIPPED]
    no_scan = min(in_transit, key=lambda s: s.shipped_at, default=None)
    if no_scan is not None:
        no_scan.shipped_at = min(no_scan.shipped_at, now - NO_SCAN_AGE)
    events = []
    for shipment in shipments:
        if shipment is no_scan:
            continue
        completed = status[shipment.pk] == OrderStatus.COMPLETED
        stages = len(JOURNEY) if completed else 1 + shipment.pk % (len(JOURNEY) - 1)
        steps = journey(shipment.shipped_at, until=now, stages=stages)
        events += [
            TrackingEvent(
                shipment=shipment,
                occurred_at=at,
                status=status_,
                location=location,
                description=text,
            )
            for at, status_, location, text in steps
        ]
        if steps:
            shipment.tracking_status = steps[-1][1]
            shipment.first_scan_at = steps[0][0]
            if steps[-1][1] == TrackingStatus.SIGNED:
                shipment.signed_at = steps[-1][0]
    TrackingEvent.objects.bulk_create(events)
    fields = ["shipped_at", "tracking_status", "first_scan_at", "signed_at"]
    Shipment.objects.bulk_update(shipments, fields, batch_size=500)
    _sign_through_push(shipments, no_scan)


def _sign_through_push(shipments, skip, count: int = 2) -> None:
    """Sign a couple of delivered-but-unsigned parcels of 已发货 orders through the
    tracking push, so their orders' auto-complete runs from the sign time."""
    signable = [
        s
        for s in shipments
        if s is not skip and s.tracking_status == TrackingStatus.DELIVERING and s.signed_at is None
    ][:count]
    for shipment in signable:
        _hours, status, location, text = JOURNEY[-1]
        services.tracking_record_push(
            carrier_code=shipment.carrier.code,
            tracking_no=shipment.tracking_no,
            events=push_events([(timezone.now(), status, location, text)]),
        )


def _merge_candidates(shop) -> int:
    """Paid orders of two receivers waiting to ship, placed and paid through the orders
    services. A receiver who already has orders in the shop is left as it is."""
    skus = list(
        Sku.objects.filter(
            shop=shop, is_active=True, price_fen__gt=0, product__status=ProductStatus.ON_SALE
        ).order_by("id")[: ORDERS_PER_MERGE_RECEIVER * len(MERGE_RECEIVERS)]
    )
    if len(skus) < ORDERS_PER_MERGE_RECEIVER:
        return 0
    created = 0
    for index, receiver in enumerate(MERGE_RECEIVERS):
        if Order.objects.filter(shop=shop, receiver_phone=receiver["phone"]).exists():
            continue
        for n in range(ORDERS_PER_MERGE_RECEIVER):
            sku = skus[(index * ORDERS_PER_MERGE_RECEIVER + n) % len(skus)]
            OrderFactory(
                shop=shop,
                receiver=dict(receiver),
                buyer={"id": f"demo-merge-{index}", "nickname": receiver["name"]},
                lines=[(sku.pk, 1)],
                status=OrderStatus.AWAITING_SHIPMENT,
            )
            created += 1
    return created
