"""Endpoint writes for the console: register, pause, resume, 重新推送, 测试推送."""

import secrets
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import clean_or_raise
from shops.roles import Perm
from shops.tenancy import ConsoleContext, get_scoped_or_404

from . import sending
from .addresses import resolve
from .delivery import attempt_log
from .exceptions import WebhookError
from .models import (
    DeliveryStatus,
    EventType,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

MAX_ENDPOINTS_PER_SHOP = 10


def _kick() -> None:
    from .tasks import webhooks_dispatch_task

    transaction.on_commit(webhooks_dispatch_task.delay, robust=True)


def _locked(context: ConsoleContext, endpoint_id: int) -> WebhookEndpoint:
    context.require_perm(Perm.WEBHOOKS_MANAGE)
    get_scoped_or_404(WebhookEndpoint.objects.all(), context, pk=endpoint_id)
    return WebhookEndpoint.objects.select_for_update().get(pk=endpoint_id)


@transaction.atomic
def endpoint_create(
    *, context: ConsoleContext, url: str, events: list[str]
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it and its signing secret (shown this once)."""
    context.require_perm(Perm.WEBHOOKS_MANAGE)
    shop = context.shop
    if not events or set(events) - set(EventType.values):
        raise WebhookError(
            _("请至少选择一个事件。"), fields={"events": [_("请至少选择一个事件。")]}
        )
    endpoint = WebhookEndpoint(shop=shop, url=url.strip(), events=sorted(set(events)))
    secret = "whsec_" + secrets.token_urlsafe(32)
    endpoint.set_secret(secret)
    clean_or_raise(endpoint, WebhookError)
    resolve(endpoint.url)  # SSRF: refused before anything is stored
    # The shop row serialises registrations, so the cap holds under concurrency.
    type(shop).objects.select_for_update().get(pk=shop.pk)
    if WebhookEndpoint.objects.filter(shop=shop).count() >= MAX_ENDPOINTS_PER_SHOP:
        raise WebhookError(
            _("每个店铺最多 %(n)s 个推送地址。") % {"n": MAX_ENDPOINTS_PER_SHOP},
            fields={"url": ["limit"]},
        )
    endpoint.save()
    return endpoint, secret


@transaction.atomic
def endpoint_pause(*, context: ConsoleContext, endpoint_id: int) -> WebhookEndpoint:
    endpoint = _locked(context, endpoint_id)
    if endpoint.is_active:
        endpoint.is_active = False
        endpoint.paused_at = timezone.now()
        endpoint.paused_by_failures = False
        endpoint.save(update_fields=["is_active", "paused_at", "paused_by_failures"])
    return endpoint


@transaction.atomic
def endpoint_resume(*, context: ConsoleContext, endpoint_id: int) -> WebhookEndpoint:
    """Resume: the failure count starts over and the backlog is due now (delivered in
    order per order, like any delivery)."""
    endpoint = _locked(context, endpoint_id)
    endpoint.is_active = True
    endpoint.paused_at = None
    endpoint.paused_by_failures = False
    endpoint.consecutive_failures = 0
    endpoint.retry_at = None
    endpoint.save(
        update_fields=[
            "is_active",
            "paused_at",
            "paused_by_failures",
            "consecutive_failures",
            "retry_at",
        ]
    )
    WebhookDelivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.PENDING).update(
        next_attempt_at=timezone.now()
    )
    _kick()
    return endpoint


@transaction.atomic
def delivery_redeliver(*, context: ConsoleContext, delivery_id: int) -> WebhookDelivery:
    """重新推送: the same event (same id, so a receiver can drop a duplicate) once more,
    after any earlier pending delivery of its order."""
    context.require_perm(Perm.WEBHOOKS_MANAGE)
    original = get_scoped_or_404(WebhookDelivery.objects.all(), context, pk=delivery_id)
    delivery = WebhookDelivery.objects.create(
        endpoint_id=original.endpoint_id,
        event_id=original.event_id,
        order_id=original.order_id,
        next_attempt_at=timezone.now(),
    )
    _kick()
    return delivery


def endpoint_test_push(*, context: ConsoleContext, endpoint_id: int) -> WebhookAttempt:
    """测试推送: a signed `webhook.test` event sent now (no order), logged as an attempt.
    The request is sent outside any transaction; only the log is written."""
    context.require_perm(Perm.WEBHOOKS_MANAGE)
    endpoint = get_scoped_or_404(WebhookEndpoint.objects.all(), context, pk=endpoint_id)
    event_id = f"test-{uuid.uuid4()}"
    now = timezone.now()
    body = sending.encode(
        {"id": event_id, "type": "webhook.test", "occurred_at": now, "shop_id": endpoint.shop_id}
    )
    outcome = sending.post(
        url=endpoint.url,
        secret=endpoint.secret,
        body=body,
        event_id=event_id,
        event_type="webhook.test",
    )
    with transaction.atomic():
        return attempt_log(endpoint=endpoint, delivery=None, at=now, outcome=outcome)
