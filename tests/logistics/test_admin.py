"""Parcels in /admin/: operators read a parcel, its lines and its tracking; only
logistics.services write them."""

import pytest
from django.urls import reverse

from logistics.factories import ShipmentFactory
from logistics.models import Shipment, ShipmentLine

pytestmark = pytest.mark.django_db


def test_an_operator_finds_a_parcel_by_tracking_number_read_only(admin_client):
    # given
    shipment = ShipmentFactory()
    line = ShipmentLine.objects.select_related("item").get(shipment=shipment)
    url = reverse("admin:logistics_shipment_change", args=[shipment.pk])
    # when
    listing = admin_client.get(
        reverse("admin:logistics_shipment_changelist"), {"q": shipment.tracking_no}
    )
    detail = admin_client.get(url)
    posted = admin_client.post(url, {"tracking_no": "SF0000000000"})
    # then
    assert shipment.tracking_no in listing.content.decode()
    assert detail.status_code == 200 and line.item.item_no in detail.content.decode()
    assert posted.status_code == 403
    assert Shipment.objects.get(pk=shipment.pk).tracking_no == shipment.tracking_no
