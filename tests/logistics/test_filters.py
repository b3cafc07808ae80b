"""发货记录 filters the same way in the console and the API (one FilterSet,
`logistics.filters.ShipmentFilter`); 批量发货's rows by result through theirs."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from logistics.factories import ShipmentFactory
from logistics.models import Shipment, TrackingStatus

pytestmark = pytest.mark.django_db

SHIPMENTS = "/api/v1/logistics/shipments/"


@pytest.fixture
def parcels(make_order, shop_context, sf, zto):
    old = ShipmentFactory(order=make_order(1), context=shop_context, carrier=sf)
    Shipment.objects.filter(pk=old.pk).update(shipped_at=timezone.now() - timedelta(days=3))
    signed = ShipmentFactory(order=make_order(1), context=shop_context, carrier=zto)
    Shipment.objects.filter(pk=signed.pk).update(tracking_status=TrackingStatus.SIGNED)
    fresh = ShipmentFactory(order=make_order(1), context=shop_context, carrier=sf)
    return {"old": old, "signed": signed, "fresh": fresh}


def _query(name, parcels):
    """The query under test and the parcels it should leave."""
    old, signed = parcels["old"], parcels["signed"]
    three_days_ago = timezone.localdate() - timedelta(days=3)
    return {
        "tracking_no": ({"q": old.tracking_no.lower()}, {"old"}),
        "order_no": ({"q": signed.lines.get().order.order_no}, {"signed"}),
        "carrier": ({"carrier": signed.carrier_id}, {"signed"}),
        "tracking_status": ({"tracking_status": TrackingStatus.SIGNED}, {"signed"}),
        "no_tracking_yet": ({"tracking_status": "none"}, {"old", "fresh"}),
        "no_scan": ({"no_scan": "1"}, {"old"}),
        "shipped_to": ({"shipped_to": three_days_ago.isoformat()}, {"old"}),
        "shipped_from": ({"shipped_from": timezone.localdate().isoformat()}, {"signed", "fresh"}),
    }[name]


QUERIES = [
    "tracking_no",
    "order_no",
    "carrier",
    "tracking_status",
    "no_tracking_yet",
    "no_scan",
    "shipped_to",
    "shipped_from",
]


@pytest.mark.parametrize("name", QUERIES)
def test_console_and_api_list_the_same_parcels(client, owner, parcels, name):
    # given
    params, expected = _query(name, parcels)
    ids = {parcels[key].pk for key in expected}
    client.force_login(owner.user)
    api = APIClient()
    api.force_authenticate(owner.user)
    # when
    rows = client.get(reverse("logistics:shipments"), params).context["rows"]
    body = api.get(SHIPMENTS, params, HTTP_X_SHOP_ID=str(owner.shop_id)).json()
    # then
    assert {row["shipment"].pk for row in rows} == ids
    assert {s["id"] for s in body["results"]} == ids


def test_console_checkbox_and_api_flag_mean_the_same_no_scan(client, owner, parcels):
    # given
    client.force_login(owner.user)
    api = APIClient()
    api.force_authenticate(owner.user)
    # when
    ticked = client.get(reverse("logistics:shipments"), {"no_scan": "on"}).context["rows"]
    flagged = api.get(SHIPMENTS, {"no_scan": "true"}, HTTP_X_SHOP_ID=str(owner.shop_id)).json()
    off = api.get(SHIPMENTS, {"no_scan": "0"}, HTTP_X_SHOP_ID=str(owner.shop_id)).json()
    # then
    assert [row["shipment"].pk for row in ticked] == [parcels["old"].pk]
    assert [s["id"] for s in flagged["results"]] == [parcels["old"].pk]
    assert len(off["results"]) == 3
