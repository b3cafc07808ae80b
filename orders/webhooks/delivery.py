"""From the outbox to the receiver.

1. Fan-out (`fan_out`): under the cursor row locked FOR UPDATE, read new events below
   the safe horizon in (xid, id) order and make one WebhookDelivery per subscribed
   endpoint of the shop, in that order: for one endpoint and one order, delivery id
   order is event order.
2. Claim (`claim_due`): due deliveries of active endpoints whose order has no earlier
   delivery still pending, locked with skip_locked and leased (next_attempt_at moved past
   the timeout) in a short transaction, so no transaction stays open over HTTP.
3. Attempt (`delivery_attempt`): POST, then record the attempt; 2xx → 已送达; otherwise
   retry with exponential backoff until WEBHOOK_RETRY_HOURS after the delivery was made,
   then 已放弃. WEBHOOK_PAUSE_AFTER_FAILURES consecutive failures pause the endpoint.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
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
CLAIM_BATCH = 100


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


def _claimable(now):
    earlier = WebhookDelivery.objects.filter(
        endpoint_id=OuterRef("endpoint_id"),
        order_id=OuterRef("order_id"),
        status=DeliveryStatus.PENDING,
        id__lt=OuterRef("id"),
    )
    return (
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now, endpoint__is_active=True
        )
        .exclude(Exists(earlier))
        .order_by("id")
        .select_for_update(skip_locked=True, of=("self",))
    )


def _lease(queryset, limit: int) -> list[int]:
    now = timezone.now()
    with transaction.atomic():
        ids = list(_claimable(now).filter(queryset).values_list("id", flat=True)[:limit])
        lease = timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS + 60)
        WebhookDelivery.objects.filter(pk__in=ids).update(next_attempt_at=now + lease)
    return ids


def claim_due(limit: int = CLAIM_BATCH) -> list[int]:
    """Leased ids of due deliveries, oldest first, at most one per endpoint and order."""
    return _lease(Q(), limit)


def claim_successor(delivery: WebhookDelivery) -> int | None:
    """The next due delivery of the same endpoint and order, leased, if any."""
    ids = _lease(Q(endpoint_id=delivery.endpoint_id, order_id=delivery.order_id), 1)
    return ids[0] if ids else None


def event_payload(event: WebhookEvent) -> dict:
    order = order_payloads(Order.objects.filter(shop_id=event.shop_id), [event.order_id])
    return {
        "id": str(event.pk),
        "type": event.type,
        "occurred_at": event.occurred_at,
        "shop_id": event.shop_id,
        "aftersale_id": event.aftersale_id,
        "order": order.get(event.order_id),
    }


def delivery_attempt(*, delivery_id: int) -> WebhookDelivery:
    """Send one leased delivery and record the outcome."""
    delivery = WebhookDelivery.objects.select_related("endpoint", "event").get(pk=delivery_id)
    if delivery.status != DeliveryStatus.PENDING:
        return delivery
    event = delivery.event
    outcome = sending.post(
        url=delivery.endpoint.url,
        secret=delivery.endpoint.secret,
        body=sending.encode(event_payload(event)),
        event_id=str(event.pk),
        event_type=event.type,
    )
    return _record(delivery, outcome)


def backoff(attempts: int) -> timedelta:
    """Wait after the `attempts`-th failure: base × 2^(attempts − 1), capped."""
    seconds = settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** min(attempts - 1, 20)
    return timedelta(seconds=min(seconds, settings.WEBHOOK_RETRY_MAX_SECONDS))


def attempt_log(*, endpoint, delivery, at, outcome: sending.Outcome) -> WebhookAttempt:
    return WebhookAttempt.objects.create(
        endpoint=endpoint,
        delivery=delivery,
        at=at,
        status_code=outcome.status_code,
        latency_ms=outcome.latency_ms,
        response_head=outcome.head[:200],
        error=outcome.error[:200],
    )


@transaction.atomic
def _record(delivery: WebhookDelivery, outcome: sending.Outcome) -> WebhookDelivery:
    now = timezone.now()
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    attempt_log(endpoint=endpoint, delivery=delivery, at=now, outcome=outcome)
    delivery.attempts += 1
    if outcome.ok:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
        endpoint.consecutive_failures = 0
    else:
        endpoint.consecutive_failures += 1
        if now - delivery.created_at >= timedelta(hours=settings.WEBHOOK_RETRY_HOURS):
            delivery.status = DeliveryStatus.FAILED
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
        if (
            endpoint.is_active
            and endpoint.consecutive_failures >= settings.WEBHOOK_PAUSE_AFTER_FAILURES
        ):
            endpoint.is_active = False
            endpoint.paused_at = now
            endpoint.paused_by_failures = True
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "delivered_at"])
    endpoint.save(
        update_fields=["consecutive_failures", "is_active", "paused_at", "paused_by_failures"]
    )
    return delivery


def deliver_chain(*, delivery_id: int) -> int:
    """Deliver a leased delivery, then, while they succeed, the next ones of the same
    endpoint and order (so an order's events follow each other without waiting for the
    next dispatch). The number delivered."""
    delivered = 0
    next_id: int | None = delivery_id
    while next_id is not None:
        delivery = delivery_attempt(delivery_id=next_id)
        if delivery.status != DeliveryStatus.DELIVERED:
            break
        delivered += 1
        next_id = claim_successor(delivery)
    return delivered


def dispatch(*, deliver) -> int:
    """Fan new events out, then hand each due delivery to `deliver(delivery_id)` (a Celery
    task's delay, or a plain call). The number handed over."""
    fan_out()
    ids = claim_due()
    for delivery_id in ids:
        deliver(delivery_id)
    return len(ids)
