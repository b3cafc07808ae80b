"""Kick the dispatcher when an order or after-sale changes (the signals come after
commit, so the outbox rows are there); beat every few seconds covers the rest."""

from .models import WebhookEndpoint


def kick(sender, shop_id=None, **kwargs):
    endpoints = WebhookEndpoint.objects.filter(is_active=True)
    if shop_id is not None:
        endpoints = endpoints.filter(shop_id=shop_id)
    if endpoints.exists():
        from .tasks import webhooks_dispatch_task

        webhooks_dispatch_task.delay()
