import time
from datetime import timedelta

import pytest
from django.utils import timezone

from logistics.factories import ShipmentFactory
from logistics.models import TrackingEvent, TrackingStatus
from orders.models import OrderStatus

pytestmark = pytest.mark.django_db


def _event(at, status="collected", description="快递员已揽收", location="杭州市"):
    return {
        "time": at.isoformat(),
        "status": status,
        "location": location,
        "description": description,
    }


def _payload(shipment, *events):
    return {
        "carrier": shipment.carrier.code,
        "tracking_no": shipment.tracking_no,
        "events": list(events),
    }


@pytest.fixture
def shipment(make_order, shop_context):
    return ShipmentFactory(order=make_order(1), context=shop_context)


def test_good_push_is_stored_and_moves_the_parcel(push, shipment):
    # given
    scanned = timezone.now() - timedelta(hours=2)
    # when
    response = push(
        _payload(
            shipment,
            _event(scanned),
            _event(scanned + timedelta(hours=1), "in_transit", "已到达杭州转运中心"),
        )
    )
    # then
    assert response.status_code == 200
    assert response.json() == {"code": "ok", "shipments": 1, "created": 2}
    shipment.refresh_from_db()
    assert shipment.tracking_status == TrackingStatus.IN_TRANSIT
    assert shipment.first_scan_at == scanned
    assert shipment.tracking_events.count() == 2


def test_bad_signature_is_401_and_writes_nothing(push, shipment):
    # when
    response = push(_payload(shipment, _event(timezone.now())), secret="wrong-secret")
    # then
    assert response.status_code == 401
    assert not TrackingEvent.objects.exists()
    shipment.refresh_from_db()
    assert shipment.first_scan_at is None


def test_stale_timestamp_is_401_and_writes_nothing(push, shipment):
    # when: signed correctly, but six minutes ago
    response = push(_payload(shipment, _event(timezone.now())), timestamp=int(time.time()) - 360)
    # then
    assert response.status_code == 401
    assert not TrackingEvent.objects.exists()


def test_missing_headers_are_401(client, shipment):
    # when
    response = client.post("/logistics/tracking/push/", data={}, content_type="application/json")
    # then
    assert response.status_code == 401


def test_unset_secret_refuses_every_push(push, shipment, settings):
    # given
    settings.TRACKING_PUSH_SECRET = ""
    # when
    response = push(_payload(shipment, _event(timezone.now())), secret="")
    # then
    assert response.status_code == 401


def test_the_same_event_twice_is_stored_once(push, shipment):
    # given
    event = _event(timezone.now() - timedelta(minutes=5))
    push(_payload(shipment, event))
    # when
    response = push(_payload(shipment, event))
    # then
    assert response.status_code == 200
    assert response.json()["created"] == 0
    assert shipment.tracking_events.count() == 1


def test_signed_restarts_auto_complete_from_the_sign_time(push, shipment, shop):
    # given: a shipped order
    order = shipment.lines.get().order
    assert order.status == OrderStatus.SHIPPED
    signed = shipment.shipped_at + timedelta(minutes=1)
    # when
    response = push(_payload(shipment, _event(signed, "signed", "已签收，签收人：本人")))
    # then
    assert response.status_code == 200
    order.refresh_from_db()
    shipment.refresh_from_db()
    assert shipment.signed_at == signed
    assert order.signed_at == signed
    assert order.auto_complete_at == signed + timedelta(days=shop.auto_confirm_days)


def test_status_by_its_chinese_label_is_accepted(push, shipment):
    # when
    response = push(_payload(shipment, _event(timezone.now(), "派送中", "快递员正在派送")))
    # then
    assert response.status_code == 200
    shipment.refresh_from_db()
    assert shipment.tracking_status == TrackingStatus.DELIVERING


def test_unknown_tracking_number_is_404(push, shipment):
    # when
    response = push(
        {
            "carrier": "shunfeng",
            "tracking_no": "SF9999999999999",
            "events": [_event(timezone.now())],
        }
    )
    # then
    assert response.status_code == 404


def test_unreadable_event_is_400_naming_it_and_writes_nothing(push, shipment):
    # when: the second event has no time
    response = push(
        _payload(shipment, _event(timezone.now()), {"status": "signed", "description": "x"})
    )
    # then
    assert response.status_code == 400
    assert "第 2 条" in response.json()["message"]
    assert not TrackingEvent.objects.exists()


def test_body_that_is_not_json_is_400(client, shipment):
    # given
    from core import signing

    body = b"not json"
    stamp = str(int(time.time()))
    # when
    response = client.post(
        "/logistics/tracking/push/",
        data=body,
        content_type="application/json",
        HTTP_X_TRACKING_TIMESTAMP=stamp,
        HTTP_X_TRACKING_SIGNATURE=signing.signature(
            secret="test-tracking-secret", timestamp=stamp, body=body
        ),
    )
    # then
    assert response.status_code == 400


def test_impossible_time_is_400_naming_the_event_and_writes_nothing(push, shipment):
    # given
    event = {**_event(timezone.now()), "time": "2026-13-45T25:61:00+08:00"}
    # when
    response = push(_payload(shipment, event))
    # then
    assert response.status_code == 400
    assert "第 1 条" in response.json()["message"] and "time" in response.json()["message"]
    assert not TrackingEvent.objects.exists()


def test_description_that_is_an_object_is_400(push, shipment):
    # when
    response = push(_payload(shipment, {**_event(timezone.now()), "description": {"a": 1}}))
    # then
    assert response.status_code == 400
    assert "description" in response.json()["message"]
    assert not TrackingEvent.objects.exists()


def test_nul_in_the_description_is_400_naming_it(push, shipment):
    # when
    response = push(_payload(shipment, _event(timezone.now(), description="已揽收\x00")))
    # then
    assert response.status_code == 400
    assert "events.0.description" in response.json()["fields"]
    assert not TrackingEvent.objects.exists()


def test_sign_time_before_the_parcel_shipped_is_refused(push, shipment):
    # given
    order = shipment.lines.get().order
    early = shipment.shipped_at - timedelta(hours=1)
    # when
    response = push(_payload(shipment, _event(early, "signed", "已签收，签收人：本人")))
    # then
    assert response.status_code == 400
    assert "早于发货时间" in response.json()["message"]
    assert not TrackingEvent.objects.exists()
    order.refresh_from_db()
    assert order.signed_at is None
