"""From the outbox to the receiver.

1. Fan-out (`fan_out`): under the cursor row locked FOR UPDATE, read new events below
   the safe horizon in (xid, id) order and make one WebhookDelivery per subscribed
   endpoint of the shop, in that order: for one endpoint and one order, delivery id
   order is event order.
2. Claim (`claim`): per endpoint, under its row lock, up to BATCH due deliveries in id
   order, none behind an earlier not-due delivery of its order, leased (next_attempt_at
   moved past the time the batch may take) in a short transaction: no transaction stays
   open over HTTP. The lease's instant is the claim's token: the sender takes the batch
   only while every row still carries it, so a task that waited in the queue past its
   lease, while another claim took the rows, sends nothing (never a duplicate).
3. Send (`deliver_batch`, `drain`): POST them in order over a kept-alive connection and
   record the batch; 2xx → 已送达; a failure stops the batch, and the delivery retries
   with exponential backoff until WEBHOOK_RETRY_HOURS after it was made, then 已放弃.
   The endpoint itself then waits (`endpoint_backoff`, 1 s doubling to 60 s), so an
   outage costs one attempt per wait; WEBHOOK_PAUSE_AFTER_FAILURES consecutive failures
   (~14 minutes down) pause it. A task keeps claiming while batches go through.
"""

import time
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from ..models import Order
from ..payloads import order_payloads
from . import sending
from .models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookCursor,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from .outbox import events_after

FAN_OUT_BATCH = 500
BATCH = 100  # deliveries per claim
DRAIN_SECONDS = 30  # one task drains an endpoint this long, then hands over


def fan_out() -> int:
    """Fan every event now below the horizon out to its endpoints; the number of events."""
    total = 0
    while True:
        count = _fan_out_batch()
        total += count
        if count < FAN_OUT_BATCH:
            return total


@transaction.atomic
def _fan_out_batch() -> int:
    cursor = WebhookCursor.objects.select_for_update().filter(pk=1).first()
    if cursor is None:
        WebhookCursor.objects.bulk_create([WebhookCursor(pk=1)], ignore_conflicts=True)
        cursor = WebhookCursor.objects.select_for_update().get(pk=1)
    rows = events_after(xid=cursor.xid, event_id=cursor.event_id, size=FAN_OUT_BATCH)
    if not rows:
        return 0
    endpoints: dict[int, list[WebhookEndpoint]] = {}
    for endpoint in WebhookEndpoint.objects.filter(shop_id__in={r.shop_id for r in rows}):
        endpoints.setdefault(endpoint.shop_id, []).append(endpoint)
    now = timezone.now()
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                endpoint=endpoint, event_id=row.id, order_id=row.order_id, next_attempt_at=now
            )
            for row in rows
            for endpoint in endpoints.get(row.shop_id, [])
            if row.type in endpoint.events
        ]
    )
    cursor.xid, cursor.event_id = rows[-1].xid, rows[-1].id
    cursor.save(update_fields=["xid", "event_id"])
    return len(rows)


class Claim(NamedTuple):
    ids: list[int]
    until: datetime | None  # the lease: every claimed row's next_attempt_at while it is ours


def _lease(count: int) -> timedelta:
    """Long enough for `count` deliveries that each take the whole timeout."""
    return timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS * max(count, 1) + 60)


def _ready(now) -> Q:
    return Q(is_active=True) & (Q(retry_at__isnull=True) | Q(retry_at__lte=now))


@transaction.atomic
def claim(*, endpoint_id: int, limit: int = BATCH) -> Claim:
    """Leased ids of one endpoint's due deliveries, in id order, none behind an earlier
    delivery of its order that is not due (leased elsewhere or waiting to be retried).

    Claims of one endpoint are serialised on its row (short transactions), so a later
    event of an order is never leased while an earlier one is being claimed. A failing
    endpoint gets one batch at a time, its probe: the next waits for its outcome."""
    now = timezone.now()
    endpoint = (
        WebhookEndpoint.objects.select_for_update().filter(_ready(now), pk=endpoint_id).first()
    )
    if endpoint is None:
        return Claim([], None)
    waiting = WebhookDelivery.objects.filter(
        endpoint_id=endpoint_id,
        order_id=OuterRef("order_id"),
        status=DeliveryStatus.PENDING,
        id__lt=OuterRef("id"),
        next_attempt_at__gt=now,
    )
    ids = list(
        WebhookDelivery.objects.filter(
            endpoint_id=endpoint_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
        )
        .exclude(Exists(waiting))
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    if not ids:
        return Claim([], None)
    leased_until = now + _lease(len(ids))
    WebhookDelivery.objects.filter(pk__in=ids).update(next_attempt_at=leased_until)
    if endpoint.consecutive_failures:
        WebhookEndpoint.objects.filter(pk=endpoint_id).update(retry_at=leased_until)
    return Claim(ids, leased_until)


@transaction.atomic
def _take(batch: Claim) -> bool:
    """Whether the batch is still ours: every row pending under this claim's lease. A
    batch partly taken by a later claim is let go whole (an order's events are then
    claimed again in order)."""
    held = list(
        WebhookDelivery.objects.select_for_update()
        .filter(pk__in=batch.ids, status=DeliveryStatus.PENDING, next_attempt_at=batch.until)
        .values_list("pk", flat=True)
    )
    if len(held) == len(batch.ids):
        return True
    WebhookDelivery.objects.filter(pk__in=held).update(next_attempt_at=timezone.now())
    return False


def event_payload(event: WebhookEvent, order: dict | None) -> dict:
    return {
        "id": str(event.pk),
        "type": event.type,
        "occurred_at": event.occurred_at,
        "shop_id": event.shop_id,
        "aftersale_id": event.aftersale_id,
        "order": order,
    }


def backoff(attempts: int) -> timedelta:
    """Wait after the `attempts`-th failure: base × 2^(attempts − 1), capped."""
    seconds = settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** min(attempts - 1, 20)
    return timedelta(seconds=min(seconds, settings.WEBHOOK_RETRY_MAX_SECONDS))


def endpoint_backoff(failures: int) -> timedelta:
    """How long a failing endpoint waits after its `failures`-th consecutive failure."""
    seconds = settings.WEBHOOK_ENDPOINT_RETRY_BASE_SECONDS * 2 ** min(failures - 1, 20)
    return timedelta(seconds=min(seconds, settings.WEBHOOK_ENDPOINT_RETRY_MAX_SECONDS))


def attempt_row(*, endpoint, delivery, at, outcome: sending.Outcome) -> WebhookAttempt:
    return WebhookAttempt(
        endpoint=endpoint,
        delivery=delivery,
        at=at,
        status_code=outcome.status_code,
        latency_ms=outcome.latency_ms,
        response_head=outcome.head[:200],
        error=outcome.error[:200],
    )


def attempt_log(*, endpoint, delivery, at, outcome: sending.Outcome) -> WebhookAttempt:
    row = attempt_row(endpoint=endpoint, delivery=delivery, at=at, outcome=outcome)
    row.save()
    return row


def deliver_batch(*, endpoint_id: int, batch: Claim) -> tuple[int, bool]:
    """POST a claimed batch in id order over one kept-alive connection, stopping at the
    first failure (the endpoint then waits as a whole; the rest is released), and
    record it. (number delivered, whether all went through). Nothing is sent when the
    batch is no longer this claim's."""
    if not _take(batch):
        return 0, True
    endpoint = WebhookEndpoint.objects.get(pk=endpoint_id)
    deliveries = list(
        WebhookDelivery.objects.filter(pk__in=batch.ids, status=DeliveryStatus.PENDING)
        .select_related("event")
        .order_by("id")
    )
    orders = order_payloads(
        Order.objects.filter(shop_id=endpoint.shop_id), list({d.order_id for d in deliveries})
    )
    secret = endpoint.secret
    sent: list[tuple[WebhookDelivery, sending.Outcome, object]] = []
    for delivery in deliveries:
        event = delivery.event
        outcome = sending.post(
            url=endpoint.url,
            secret=secret,
            body=sending.encode(event_payload(event, orders.get(event.order_id))),
            event_id=str(event.pk),
            event_type=event.type,
        )
        sent.append((delivery, outcome, timezone.now()))
        if not outcome.ok:
            break
    _record(endpoint_id, sent, unsent=[d.pk for d in deliveries[len(sent) :]])
    delivered = sum(1 for _, outcome, _ in sent if outcome.ok)
    return delivered, delivered == len(deliveries)


@transaction.atomic
def _record(endpoint_id: int, sent: list, *, unsent: list[int]) -> None:
    now = timezone.now()
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint_id)
    WebhookAttempt.objects.bulk_create(
        attempt_row(endpoint=endpoint, delivery=d, at=at, outcome=o) for d, o, at in sent
    )
    was_failing = endpoint.consecutive_failures > 0
    # One UPDATE for the delivered (a batch takes well under a second; each attempt's
    # own time is in its log row), one save for the failure that stopped the batch.
    WebhookDelivery.objects.filter(pk__in=[d.pk for d, o, _ in sent if o.ok]).update(
        status=DeliveryStatus.DELIVERED, attempts=F("attempts") + 1, delivered_at=now
    )
    WebhookDelivery.objects.filter(pk__in=unsent, status=DeliveryStatus.PENDING).update(
        next_attempt_at=now
    )
    if sent and not sent[-1][1].ok:
        delivery, _, at = sent[-1]
        delivery.attempts += 1
        if at - delivery.created_at >= timedelta(hours=settings.WEBHOOK_RETRY_HOURS):
            delivery.status = DeliveryStatus.FAILED
        elif was_failing:
            # The endpoint was down already: this event only probed it, and is retried
            # with it (so it is not the one left behind when the endpoint comes back).
            delivery.next_attempt_at = at + endpoint_backoff(endpoint.consecutive_failures + 1)
        else:
            delivery.next_attempt_at = at + backoff(delivery.attempts)
        delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
        endpoint.consecutive_failures += 1
        endpoint.retry_at = now + endpoint_backoff(endpoint.consecutive_failures)
        if (
            endpoint.is_active
            and endpoint.consecutive_failures >= settings.WEBHOOK_PAUSE_AFTER_FAILURES
        ):
            endpoint.is_active = False
            endpoint.paused_at = now
            endpoint.paused_by_failures = True
    elif sent or was_failing:  # answered (or a probe with nothing left to send)
        endpoint.consecutive_failures = 0
        endpoint.retry_at = None
    endpoint.save(
        update_fields=[
            "consecutive_failures",
            "retry_at",
            "is_active",
            "paused_at",
            "paused_by_failures",
        ]
    )


def drain(*, endpoint_id: int, batch: Claim) -> int:
    """Deliver a claimed batch, then keep claiming this endpoint's due deliveries while
    they go through (for DRAIN_SECONDS at most; the next dispatch takes over). The
    number delivered."""
    delivered = 0
    started = time.monotonic()
    while batch.ids:
        count, all_through = deliver_batch(endpoint_id=endpoint_id, batch=batch)
        delivered += count
        if not all_through or time.monotonic() - started > DRAIN_SECONDS:
            break
        batch = claim(endpoint_id=endpoint_id)
    return delivered


def dispatch(*, deliver) -> int:
    """Fan new events out, then claim a batch for each endpoint with due deliveries and
    hand it to `deliver(endpoint_id, claim)` (a Celery task's delay, or a plain call).
    The number of deliveries handed over."""
    fan_out()
    now = timezone.now()
    due = WebhookDelivery.objects.filter(
        endpoint_id=OuterRef("pk"), status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    )
    handed = 0
    for endpoint_id in WebhookEndpoint.objects.filter(_ready(now), Exists(due)).values_list(
        "pk", flat=True
    ):
        batch = claim(endpoint_id=endpoint_id)
        if batch.ids:
            deliver(endpoint_id, batch)
            handed += len(batch.ids)
    return handed
