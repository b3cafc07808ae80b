"""A real Celery worker on Redis delivers a committed order's event to a receiver."""

import json
import time

import pytest
from celery import Celery

from core.signing import signature_valid
from orders.factories import OrderFactory
from orders.models import OrderStatus
from orders.webhooks.factories import endpoint_make
from orders.webhooks.models import DeliveryStatus, WebhookDelivery
from tests.integration.test_celery_worker import redis_url, worker  # noqa: F401
from tests.orders.webhook_support import Receiver

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def private_worker(request, monkeypatch, settings):
    """The harness's worker, allowed (like this process) to post to 127.0.0.1."""
    monkeypatch.setenv("WEBHOOK_ALLOW_PRIVATE_URLS", "1")
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    return request.getfixturevalue("worker")


def test_a_worker_delivers_the_event_signed(owner, redis_url, private_worker):  # noqa: F811
    # given: an order committed, then an endpoint on a local receiver
    receiver = Receiver()
    try:
        order = OrderFactory(shop=owner.shop, status=OrderStatus.UNPAID)
        endpoint_make(shop=owner.shop, url=receiver.url, secret="worker-secret")
        # when: beat's task reaches the worker through Redis
        Celery(broker=redis_url, backend=redis_url, set_as_current=False).send_task(
            "orders.webhooks.tasks.webhooks_dispatch_task"
        )
        deadline = time.monotonic() + 60
        while not receiver.requests and time.monotonic() < deadline:
            time.sleep(0.2)
        # then
        request = receiver.requests[0]
        assert json.loads(request["body"])["order"]["id"] == order.pk
        assert signature_valid(
            secret="worker-secret",
            timestamp=request["headers"]["X-Xiaodian-Timestamp"],
            signature_hex=request["headers"]["X-Xiaodian-Signature"],
            body=request["body"],
        )
        deadline = time.monotonic() + 30
        while (
            time.monotonic() < deadline
            and not WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).exists()
        ):
            time.sleep(0.2)
        assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED
    finally:
        receiver.close()
