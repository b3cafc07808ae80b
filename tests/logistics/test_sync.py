"""Parcels in the incremental sync feed (orders.sync_api, logistics.sync)."""

import pytest
from rest_framework.test import APIClient

from logistics.factories import ShipmentFactory
from logistics.models import Shipment, TrackingStatus
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
