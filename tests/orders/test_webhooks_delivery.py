"""消息推送 under an outage and at volume: a failing endpoint waits as a whole (one
attempt per wait, so a 10-minute outage does not pause it), one probe batch at a time,
a batch goes over one kept-alive connection, and a batch whose lease another claim took
is never sent."""

import pytest
from django.utils import timezone

from orders.factories import OrderFactory
from orders.models import OrderStatus
from orders.webhooks import services
from orders.webhooks.delivery import claim, deliver_batch, endpoint_backoff
from orders.webhooks.models import EventType, WebhookDelivery, WebhookEndpoint
from tests.orders.webhook_support import Receiver, dispatch, receiver  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(owner, context_for, receiver):  # noqa: F811
    made, _ = services.endpoint_create(
        context=context_for(owner), url=receiver.url, events=list(EventType.values)
    )
    return made


def test_a_down_endpoint_is_tried_once_per_wait_not_once_per_event(owner, endpoint, receiver):  # noqa: F811
    # given: the receiver is down and five orders changed
    receiver.default = 503
    for _ in range(5):
        OrderFactory(shop=owner.shop, status=OrderStatus.UNPAID)
    # when: the dispatcher runs twice within the endpoint's wait
    dispatch()
    dispatch()
    # then: one attempt, one failure counted, the endpoint waits 1 s; nothing else tried
    endpoint.refresh_from_db()
    assert len(receiver.requests) == 1
    assert endpoint.consecutive_failures == 1 and endpoint.is_active
    assert 0 < (endpoint.retry_at - timezone.now()).total_seconds() <= 1
    assert sorted(WebhookDelivery.objects.values_list("attempts", flat=True)) == [0, 0, 0, 0, 1]


def test_a_ten_minute_outage_stays_under_the_pause_threshold(settings):
    # given: the default schedule
    assert settings.WEBHOOK_PAUSE_AFTER_FAILURES == 20
    # when: an endpoint is down for 600 s, tried after each of its waits
    at, failures = 0.0, 0
    while at < 600:
        failures += 1
        at += endpoint_backoff(failures).total_seconds()
    # then: not paused, and the next try comes at most a minute after it is back
    assert failures < settings.WEBHOOK_PAUSE_AFTER_FAILURES
    assert at - 600 <= 60
    assert [endpoint_backoff(n).total_seconds() for n in (1, 2, 3, 7, 8, 30)] == [
        1,
        2,
        4,
        60,
        60,
        60,
    ]


def test_a_failing_endpoint_gets_one_probe_batch_at_a_time(owner, endpoint):
    # given: an endpoint that failed twice, its wait over, with work due
    OrderFactory(shop=owner.shop, status=OrderStatus.UNPAID)
    OrderFactory(shop=owner.shop, status=OrderStatus.UNPAID)
    row = WebhookEndpoint.objects.filter(pk=endpoint.pk)
    row.update(is_active=False)
    dispatch()  # fans the events out; nothing is sent to a paused endpoint
    row.update(is_active=True, consecutive_failures=2, retry_at=None)
    # when
    probe = claim(endpoint_id=endpoint.pk, limit=1)
    second = claim(endpoint_id=endpoint.pk, limit=1)
    # then: the second claim waits for the probe's outcome
    assert len(probe.ids) == 1 and second.ids == []


def test_a_batch_goes_over_one_kept_alive_connection(settings, owner, context_for):
    # given: a receiver that keeps connections open (HTTP/1.1)
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    keep_alive = Receiver(keep_alive=True)
    try:
        services.endpoint_create(
            context=context_for(owner), url=keep_alive.url, events=[EventType.ORDER_CREATED]
        )
        orders = [OrderFactory(shop=owner.shop, status=OrderStatus.UNPAID) for _ in range(4)]
        # when
        dispatch()
        # then: every event, in order, from one client socket
        assert [r["headers"]["X-Xiaodian-Event-Id"] for r in keep_alive.requests] == [
            str(pk)
            for pk in WebhookDelivery.objects.order_by("id").values_list("event_id", flat=True)
        ]
        assert len(keep_alive.requests) == len(orders)
        assert len({r["client"] for r in keep_alive.requests}) == 1
    finally:
        keep_alive.close()


def test_a_batch_whose_lease_another_claim_took_is_not_sent(owner, endpoint, receiver):  # noqa: F811
    # given: a claim whose task waited in the queue past its lease, and a later claim
    # that took the same deliveries
    OrderFactory(shop=owner.shop, status=OrderStatus.UNPAID)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)
    dispatch()  # fans the event out; nothing is sent to a paused endpoint
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=True)
    stale = claim(endpoint_id=endpoint.pk)
    WebhookDelivery.objects.filter(pk__in=stale.ids).update(next_attempt_at=timezone.now())
    current = claim(endpoint_id=endpoint.pk)
    # when: both tasks run
    late = deliver_batch(endpoint_id=endpoint.pk, batch=stale)
    on_time = deliver_batch(endpoint_id=endpoint.pk, batch=current)
    # then: the event went out once, by the claim that held it
    assert stale.ids == current.ids and (late, on_time) == ((0, True), (1, True))
    assert len(receiver.requests) == 1
