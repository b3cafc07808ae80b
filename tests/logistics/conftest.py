import itertools
import json
import time

import pytest

from core import signing
from logistics.batch.services import ship_batch_confirm
from logistics.factories import carrier, tracking_no_for
from logistics.models import ShipBatch
from orders.factories import BUYER, RECEIVER, OrderFactory
from orders.models import OrderStatus
from products.factories import ProductFactory, SkuFactory

PUSH_SECRET = "test-tracking-secret"


@pytest.fixture
def sf():
    return carrier("shunfeng")


@pytest.fixture
def zto():
    return carrier("zhongtong")


@pytest.fixture
def number(sf):
    """number(carrier=sf) -> a fresh tracking number valid for the carrier."""
    counter = itertools.count(1)

    def make(for_carrier=None):
        return tracking_no_for(for_carrier or sf, next(counter))

    return make


@pytest.fixture
def make_order(shop):
    """make_order(*quantities, receiver=..., status=2, shop=...) -> an order with one
    item per quantity (each a new ¥99.00 product), paid and accepted by default."""

    def make(*quantities, receiver=None, status=OrderStatus.AWAITING_SHIPMENT, shop=shop):
        lines = []
        for quantity in quantities or (1,):
            product = ProductFactory(shop=shop, sku=None)
            lines.append((SkuFactory(product=product, stock=50).pk, quantity))
        return OrderFactory(
            shop=shop,
            lines=lines,
            receiver=dict(receiver or RECEIVER),
            buyer=dict(BUYER),
            status=status,
        )

    return make


@pytest.fixture
def seeded_carriers():
    carrier("shunfeng")  # seeded again if a transactional test flushed them


@pytest.fixture
def order(owner):
    return OrderFactory(shop=owner.shop)


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    """confirm(context, batch) -> the batch once confirmed and what confirming starts
    (inline or the task) has run."""

    def run(context, batch):
        with django_capture_on_commit_callbacks(execute=True):
            ship_batch_confirm(context=context, batch_id=batch.pk)
        return ShipBatch.objects.get(pk=batch.pk)

    return run


@pytest.fixture(autouse=True)
def push_secret(settings):
    settings.TRACKING_PUSH_SECRET = PUSH_SECRET
    return settings


@pytest.fixture
def push(client):
    """push(payload, timestamp=None, secret=PUSH_SECRET, signature=None) -> response of
    the tracking push endpoint, signed like a carrier would sign it."""

    def send(payload, *, timestamp=None, secret=PUSH_SECRET, signature=None):
        body = json.dumps(payload).encode()
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        sig = signature or signing.signature(secret=secret, timestamp=stamp, body=body)
        return client.post(
            "/logistics/tracking/push/",
            data=body,
            content_type="application/json",
            HTTP_X_TRACKING_TIMESTAMP=stamp,
            HTTP_X_TRACKING_SIGNATURE=sig,
        )

    return send
