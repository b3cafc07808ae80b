"""消息推送: events come from an outbox written with the change; deliveries are signed,
retried with backoff, in order per order, and pause an endpoint that keeps failing."""

import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from core.signing import signature_valid
from orders.aftersales import aftersale_agree, aftersale_open
from orders.factories import OrderFactory
from orders.models import AfterSaleType, Order, OrderStatus
from orders.webhooks import services
from orders.webhooks.delivery import backoff
from orders.webhooks.models import (
    DeliveryStatus,
    EventType,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from tests.orders.webhook_support import dispatch, receiver  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(owner, context_for, receiver):  # noqa: F811
    """The owner's endpoint on the local receiver, subscribed to everything; its secret
    is kept on it as `plain_secret` for the receiver's checks."""
    made, secret = services.endpoint_create(
        context=context_for(owner), url=receiver.url, events=list(EventType.values)
    )
    made.plain_secret = secret
    return made


def _bodies(receiver):  # noqa: F811
    return [json.loads(r["body"]) for r in receiver.requests]


def _make_due(endpoint):
    """Time passes: every pending delivery is due, and the endpoint's own wait is over."""
    WebhookDelivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.PENDING).update(
        next_attempt_at=timezone.now()
    )
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(retry_at=None)


def test_a_receiver_verifies_the_signature_and_gets_the_whole_order(owner, endpoint, receiver):  # noqa: F811
    # given
    order = OrderFactory(shop=owner.shop)
    # when
    dispatch()
    # then: 订单创建 then 已支付, each signed over timestamp.body with the secret
    assert [b["type"] for b in _bodies(receiver)] == ["order.created", "order.paid"]
    for request in receiver.requests:
        headers = request["headers"]
        assert signature_valid(
            secret=endpoint.plain_secret,
            timestamp=headers["X-Xiaodian-Timestamp"],
            signature_hex=headers["X-Xiaodian-Signature"],
            body=request["body"],
        )
        body = json.loads(request["body"])
        assert headers["X-Xiaodian-Event-Id"] == body["id"]
        assert body["shop_id"] == owner.shop_id and body["occurred_at"]
        assert body["order"]["order_no"] == order.order_no
        assert body["order"]["items"] and body["order"]["parcels"] == []
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == 2


def test_a_tampered_body_fails_the_receivers_check(owner, endpoint, receiver):  # noqa: F811
    # given
    OrderFactory(shop=owner.shop, status=OrderStatus.UNPAID)
    dispatch()
    request = receiver.requests[0]
    # when
    valid = signature_valid(
        secret=endpoint.plain_secret,
        timestamp=request["headers"]["X-Xiaodian-Timestamp"],
        signature_hex=request["headers"]["X-Xiaodian-Signature"],
        body=request["body"].replace(b"order.created", b"order.paid"),
    )
    # then
    assert valid is False


def test_the_secret_is_encrypted_at_rest(endpoint):
    # given
    stored = WebhookEndpoint.objects.get(pk=endpoint.pk)
    # then
    assert endpoint.plain_secret not in stored.secret_encrypted
    assert stored.secret == endpoint.plain_secret


def test_a_rolled_back_change_writes_no_event_and_sends_nothing(owner, endpoint, receiver):  # noqa: F811
    # given
    before = WebhookEvent.objects.count()
    # when
    with pytest.raises(RuntimeError), transaction.atomic():
        OrderFactory(shop=owner.shop)
        raise RuntimeError("the request failed after the order was written")
    dispatch()
    # then
    assert WebhookEvent.objects.count() == before
    assert receiver.requests == []


def test_any_write_path_is_an_event_even_a_bulk_update(owner, endpoint, receiver):  # noqa: F811
    # given
    orders = [OrderFactory(shop=owner.shop, status=OrderStatus.SHIPPED) for _ in range(2)]
    dispatch()
    receiver.requests.clear()
    # when: no service, no signal
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(status=OrderStatus.COMPLETED)
    dispatch()
    # then
    assert sorted((b["type"], b["order"]["id"]) for b in _bodies(receiver)) == sorted(
        ("order.completed", o.pk) for o in orders
    )


def test_each_status_of_the_issue_is_its_own_event(owner, endpoint):
    # when
    OrderFactory(shop=owner.shop, status=OrderStatus.PARTIALLY_SHIPPED)
    OrderFactory(shop=owner.shop, status=OrderStatus.COMPLETED)
    OrderFactory(shop=owner.shop, status=OrderStatus.CANCELLED)
    # then
    types = set(WebhookEvent.objects.values_list("type", flat=True))
    assert types == {
        "order.created",
        "order.paid",
        "order.partially_shipped",
        "order.shipped",
        "order.completed",
        "order.cancelled",
    }


def test_an_after_sale_refund_is_three_events(owner, context_for, endpoint, receiver):  # noqa: F811
    # given
    order = OrderFactory(shop=owner.shop)
    item = order.items.get()
    dispatch()
    receiver.requests.clear()
    # when: 未发货仅退款, agreed: refunded at once, the whole order → 已取消
    aftersale = aftersale_open(
        item_id=item.pk,
        type=AfterSaleType.UNSHIPPED_REFUND_ONLY,
        quantity=1,
        refund_fen=item.paid_fen,
        reason="不想要了",
    )
    aftersale_agree(context=context_for(owner), aftersale_id=aftersale.pk)
    dispatch()
    # then
    bodies = _bodies(receiver)
    assert [b["type"] for b in bodies] == [
        "aftersale.created",
        "aftersale.status_changed",
        "aftersale.refunded",
        "order.cancelled",
    ]
    assert {b["aftersale_id"] for b in bodies[:3]} == {aftersale.pk}
    assert bodies[-1]["order"]["aftersales"][0]["status"] == 12


def test_only_subscribed_events_are_sent(owner, context_for, receiver):  # noqa: F811
    # given
    services.endpoint_create(
        context=context_for(owner), url=receiver.url, events=[EventType.ORDER_PAID]
    )
    # when
    OrderFactory(shop=owner.shop)
    dispatch()
    # then
    assert [b["type"] for b in _bodies(receiver)] == ["order.paid"]


def test_a_failure_is_retried_with_exponential_backoff(owner, endpoint, receiver):  # noqa: F811
    # given: the receiver fails twice, then answers 200
    receiver.answers = [500, 503]
    OrderFactory(shop=owner.shop, status=OrderStatus.UNPAID)
    # when
    dispatch()
    first = WebhookDelivery.objects.get()
    dispatch()  # not due yet: nothing is sent
    sent_before_due = len(receiver.requests)
    _make_due(endpoint)
    dispatch()
    second = WebhookDelivery.objects.get()
    _make_due(endpoint)
    dispatch()
    # then
    assert sent_before_due == 1
    attempts = list(WebhookAttempt.objects.order_by("id"))
    assert [a.status_code for a in attempts] == [500, 503, 200]
    assert first.next_attempt_at - attempts[0].at == timedelta(seconds=30)
    # the endpoint was failing already: the event retries with the endpoint (1 s, 2 s …)
    assert second.next_attempt_at - attempts[1].at == timedelta(seconds=2)
    delivered = WebhookDelivery.objects.get()
    assert delivered.status == DeliveryStatus.DELIVERED and delivered.attempts == 3


def test_backoff_doubles_up_to_its_cap(settings):
    # given
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    settings.WEBHOOK_RETRY_MAX_SECONDS = 3600
    # then
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 8, 30)] == [30, 60, 120, 3600, 3600]


def test_a_delivery_is_given_up_after_the_retry_window(owner, endpoint, receiver):  # noqa: F811
    # given: failing for 24 hours already
    receiver.default = 500
    OrderFactory(shop=owner.shop, status=OrderStatus.UNPAID)
    dispatch()
    WebhookDelivery.objects.update(created_at=timezone.now() - timedelta(hours=24, minutes=1))
    _make_due(endpoint)
    # when
    dispatch()
    # then
    assert WebhookDelivery.objects.get().status == DeliveryStatus.FAILED


def test_a_slow_answer_is_a_failure(settings, owner, endpoint, receiver):  # noqa: F811
    # given
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    receiver.delay = 1.5
    OrderFactory(shop=owner.shop, status=OrderStatus.UNPAID)
    # when
    dispatch()
    # then
    attempt = WebhookAttempt.objects.get()
    assert not attempt.ok and attempt.error
    assert WebhookDelivery.objects.get().status == DeliveryStatus.PENDING


def test_a_redirect_is_not_followed(owner, endpoint, receiver):  # noqa: F811
    # given
    receiver.default = 302
    receiver.location = "http://169.254.169.254/latest/meta-data/"
    OrderFactory(shop=owner.shop, status=OrderStatus.UNPAID)
    # when
    dispatch()
    # then
    assert len(receiver.requests) == 1
    assert WebhookAttempt.objects.get().status_code == 302
    assert WebhookDelivery.objects.get().status == DeliveryStatus.PENDING


def test_a_later_event_of_an_order_waits_for_the_earlier_one(owner, endpoint, receiver):  # noqa: F811
    # given: the first request fails
    receiver.answers = [500]
    first = OrderFactory(shop=owner.shop)
    second = OrderFactory(shop=owner.shop, status=OrderStatus.UNPAID)
    # when
    dispatch()
    # then: the failure stops the batch (the endpoint waits as a whole); 已支付 not sent
    sent = [(b["type"], b["order"]["id"]) for b in _bodies(receiver)]
    assert sent == [("order.created", first.pk)]
    # when: the failed one comes due and succeeds
    _make_due(endpoint)
    dispatch()
    # then: the first order's events in order, then the second order's
    sent = [(b["type"], b["order"]["id"]) for b in _bodies(receiver)][1:]
    assert sent == [
        ("order.created", first.pk),
        ("order.paid", first.pk),
        ("order.created", second.pk),
    ]


def test_n_failures_pause_the_endpoint_and_resume_delivers_the_backlog_in_order(
    settings,
    owner,
    context_for,
    endpoint,
    receiver,  # noqa: F811
    client,
):
    # given: the receiver is down
    settings.WEBHOOK_PAUSE_AFTER_FAILURES = 3
    receiver.default = 500
    orders = [OrderFactory(shop=owner.shop) for _ in range(3)]
    # when: three attempts, each after the endpoint's wait
    for _ in range(3):
        _make_due(endpoint)
        dispatch()
    # then: three failures pause it, and the shop is warned
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.paused_by_failures
    assert endpoint.consecutive_failures == 3
    client.force_login(owner.user)
    assert "消息推送已暂停" in client.get("/").content.decode()
    assert "自动暂停" in client.get(f"/settings/webhooks/{endpoint.pk}/").content.decode()
    # when: more changes while paused, the receiver comes back, the owner resumes
    Order.objects.filter(pk=orders[0].pk).update(status=OrderStatus.CANCELLED)
    _make_due(endpoint)
    dispatch()
    paused_sends = len(receiver.requests)
    receiver.requests.clear()
    receiver.default = 200
    services.endpoint_resume(context=context_for(owner), endpoint_id=endpoint.pk)
    dispatch()
    # then: nothing was sent while paused; everything arrives, in order per order
    assert paused_sends == 3
    by_order = {}
    for body in _bodies(receiver):
        by_order.setdefault(body["order"]["id"], []).append(body["type"])
    assert by_order == {
        orders[0].pk: ["order.created", "order.paid", "order.cancelled"],
        orders[1].pk: ["order.created", "order.paid"],
        orders[2].pk: ["order.created", "order.paid"],
    }
    assert not WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).exists()


def test_a_success_resets_the_failure_count(owner, endpoint, receiver):  # noqa: F811
    # given
    receiver.answers = [500]
    OrderFactory(shop=owner.shop, status=OrderStatus.UNPAID)
    dispatch()
    # when
    _make_due(endpoint)
    dispatch()
    # then
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0 and endpoint.is_active


def test_redelivery_sends_the_same_event_id_again(owner, context_for, endpoint, receiver):  # noqa: F811
    # given
    OrderFactory(shop=owner.shop, status=OrderStatus.UNPAID)
    dispatch()
    delivered = WebhookDelivery.objects.get()
    # when
    services.delivery_redeliver(context=context_for(owner), delivery_id=delivered.pk)
    dispatch()
    # then
    first, again = _bodies(receiver)
    assert again["id"] == first["id"] == str(delivered.event_id)
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == 2


def test_a_test_push_is_signed_and_logged(owner, context_for, endpoint, receiver):  # noqa: F811
    # when
    attempt = services.endpoint_test_push(context=context_for(owner), endpoint_id=endpoint.pk)
    # then
    request = receiver.requests[0]
    assert json.loads(request["body"])["type"] == "webhook.test"
    assert signature_valid(
        secret=endpoint.plain_secret,
        timestamp=request["headers"]["X-Xiaodian-Timestamp"],
        signature_hex=request["headers"]["X-Xiaodian-Signature"],
        body=request["body"],
    )
    assert attempt.ok and attempt.delivery_id is None
    assert attempt.response_head == "answer 200 from the ERP"


def test_another_shops_changes_never_reach_an_endpoint(other_owner, endpoint, receiver):  # noqa: F811
    # when
    OrderFactory(shop=other_owner.shop)
    dispatch()
    # then
    assert receiver.requests == []
