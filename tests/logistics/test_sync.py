"""Parcels in the incremental sync feed (orders.sync_api, logistics.sync)."""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from logistics.factories import (
    JOURNEY,
    ParcelFactory,
    ShipmentFactory,
    ShipmentLineFactory,
    journey,
)
from logistics.models import Shipment, TrackingEvent, TrackingStatus
from logistics.serializers import ShipmentSerializer
from logistics.sync import parcels_by_order
from orders.factories import OrderFactory

# Committed for real: inside one transaction an order is one change, whatever it writes.
pytestmark = pytest.mark.django_db(transaction=True)
URL = "/api/v1/orders/changes/"


def test_a_parcel_update_is_a_change_of_its_order(owner):
    # given
    order = OrderFactory(shop=owner.shop)
    shipment = ShipmentFactory(order=order)
    client = APIClient()
    client.force_authenticate(owner.user)
    cursor = client.get(URL).json()["cursor"]
    # when
    Shipment.objects.filter(pk=shipment.pk).update(tracking_status=TrackingStatus.DELIVERING)
    body = client.get(URL, {"cursor": cursor}).json()
    # then
    assert [c["order"]["id"] for c in body["results"]] == [order.pk]
    parcel = body["results"][0]["order"]["parcels"][0]
    assert parcel["tracking_no"] == shipment.tracking_no
    assert parcel["tracking_status"] == TrackingStatus.DELIVERING


def test_parcels_are_built_in_a_few_queries_as_the_api_shows_each(
    owner, django_assert_max_num_queries
):
    # given: three orders, each shipped; one parcel also carries an item of another
    # order (合并发货), one has its tracking journey
    orders = [OrderFactory(shop=owner.shop) for _ in range(3)]
    shipments = [ShipmentFactory(order=order) for order in orders]
    merged = ParcelFactory(order=orders[0])
    ShipmentLineFactory(shipment=merged, item=orders[0].items.first(), quantity=1)
    ShipmentLineFactory(shipment=merged, item=orders[1].items.first(), quantity=1)
    shipped_at = shipments[2].shipped_at
    for at, status, location, text in journey(shipped_at, until=shipped_at + timedelta(days=2)):
        TrackingEvent.objects.create(
            shipment=shipments[2], occurred_at=at, status=status, location=location,
            description=text,
        )  # fmt: skip
    # when: the parcels part of the webhook / sync payload (one query per relation)
    with django_assert_max_num_queries(3):
        parts = parcels_by_order([order.pk for order in orders])
    # then: each order's parcels, in id order, exactly as the serializer shows each one
    expected = {
        order.pk: [
            ShipmentSerializer(shipment).data
            for shipment in Shipment.objects.filter(lines__order=order).distinct().order_by("id")
        ]
        for order in orders
    }
    assert parts == expected
    assert [line["order_no"] for line in parts[orders[1].pk][1]["lines"]] == [
        orders[0].order_no,
        orders[1].order_no,
    ]
    assert len(parts[orders[2].pk][0]["tracking_events"]) == len(JOURNEY)
