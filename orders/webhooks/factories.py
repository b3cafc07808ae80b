"""Endpoints and deliveries for tests, made without DNS (services resolve the URL)."""

from django.utils import timezone

from ..factories import OrderFactory
from .models import EventType, WebhookDelivery, WebhookEndpoint, WebhookEvent


def endpoint_make(*, shop, url="https://erp.example.com/hooks", events=None, secret="s3cret"):
    endpoint = WebhookEndpoint(shop=shop, url=url, events=events or list(EventType.values))
    endpoint.set_secret(secret)
    endpoint.save()
    return endpoint


def delivery_make(*, shop) -> WebhookDelivery:
    """A pending delivery of a new order's first event to a new endpoint of `shop`."""
    endpoint = endpoint_make(shop=shop)
    order = OrderFactory(shop=shop)
    event = WebhookEvent.objects.filter(order_id=order.pk).order_by("id").first()
    return WebhookDelivery.objects.create(
        endpoint=endpoint, event=event, order_id=order.pk, next_attempt_at=timezone.now()
    )
