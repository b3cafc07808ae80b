import json
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import OrderStatus, Payment, PayMethod
from orders.payments import payment_signature

pytestmark = pytest.mark.django_db

URL = "/pay/callback/"


@pytest.fixture
def order(place, sku):
    return place([(sku.pk, 2)])


def _body(order, **overrides) -> bytes:
    data = {
        "payment_id": "PAY0001",
        "order_no": order.order_no,
        "shop": order.shop.slug,
        "amount_fen": order.paid_fen,
        "pay_method": PayMethod.ALIPAY,
        "paid_at": timezone.now().isoformat(),
        **overrides,
    }
    return json.dumps(data).encode()


def _post(client, body: bytes, *, timestamp=None, signature=None):
    timestamp = str(int(time.time())) if timestamp is None else str(timestamp)
    if signature is None:
        signature = payment_signature(timestamp=timestamp, body=body)
    return client.post(
        URL,
        data=body,
        content_type="application/json",
        headers={"X-Pay-Timestamp": timestamp, "X-Pay-Signature": signature},
    )


def test_url_name():
    assert reverse("buyer:pay_callback") == URL


def test_good_callback_pays_the_order(client, order, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, _body(order))
    # then
    assert response.status_code == 200 and response.json() == {"result": "ok"}
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_SHIPMENT
    assert order.pay_method == PayMethod.ALIPAY
    assert Payment.objects.get(order=order).amount_fen == order.paid_fen


def test_replayed_callback_answers_ok_and_changes_nothing(client, order):
    # given
    body = _body(order)
    _post(client, body)
    events = order.events.count()
    # when
    response = _post(client, body)
    # then
    assert response.status_code == 200 and response.json() == {"result": "duplicate"}
    assert Payment.objects.count() == 1 and order.events.count() == events


def test_bad_signature_is_401_and_writes_nothing(client, order):
    response = _post(client, _body(order), signature="0" * 64)
    assert response.status_code == 401
    order.refresh_from_db()
    assert order.status == OrderStatus.UNPAID and not Payment.objects.exists()


def test_body_altered_after_signing_is_401(client, order):
    # given
    timestamp = str(int(time.time()))
    signature = payment_signature(timestamp=timestamp, body=_body(order))
    # when
    response = _post(client, _body(order, amount_fen=1), timestamp=timestamp, signature=signature)
    # then
    assert response.status_code == 401 and not Payment.objects.exists()


def test_stale_timestamp_is_401(client, order):
    response = _post(client, _body(order), timestamp=int(time.time()) - 301)
    assert response.status_code == 401 and not Payment.objects.exists()


def test_missing_headers_are_401(client, order):
    response = client.post(URL, data=_body(order), content_type="application/json")
    assert response.status_code == 401


def test_no_secret_configured_refuses_everything(client, order, settings):
    body = _body(order)
    timestamp = str(int(time.time()))
    signature = payment_signature(timestamp=timestamp, body=body)
    settings.PAYMENT_PROVIDER_SECRET = ""
    assert _post(client, body, timestamp=timestamp, signature=signature).status_code == 401


def test_wrong_amount_is_400_refused_and_logged(client, order, caplog):
    # when
    response = _post(client, _body(order, amount_fen=order.paid_fen - 1))
    # then
    assert response.status_code == 400 and "不符" in response.json()["result"]
    order.refresh_from_db()
    assert order.status == OrderStatus.UNPAID and not Payment.objects.exists()
    assert "refused: amount" in caplog.text


def test_unknown_order_is_404(client, order):
    response = _post(client, _body(order, order_no="1" * 19))
    assert response.status_code == 404


def test_unreadable_body_is_400(client):
    assert _post(client, b"not json").status_code == 400


def test_get_is_not_allowed(client):
    assert client.get(URL).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_a_failing_status_receiver_does_not_fail_the_callback(client, place, sku, caplog):
    # given: a listener of order_status_changed that breaks
    from orders.models import Order
    from orders.signals import order_status_changed

    order = place([(sku.pk, 1)])

    def broken(**kwargs):
        raise RuntimeError("listener down")

    order_status_changed.connect(broken, dispatch_uid="test-broken-listener")
    try:
        # when
        response = _post(client, _body(order))
    finally:
        order_status_changed.disconnect(dispatch_uid="test-broken-listener")
    # then: the payment is committed, answered 200, and the failure logged
    assert response.status_code == 200 and response.json() == {"result": "ok"}
    assert Payment.objects.filter(order=order).exists()
    assert Order.objects.get(pk=order.pk).status != OrderStatus.UNPAID
    assert "listener down" in caplog.text
