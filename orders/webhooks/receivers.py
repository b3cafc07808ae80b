"""Kick the dispatcher when an order or after-sale changes (the signals come after
commit, so the outbox rows are there); beat every few seconds covers the rest.

A batch of ten thousand parcels sends ten thousand signals: a shop is kicked at most
once per KICK_WINDOW seconds, and the kicked run starts at the end of the window, so it
also carries every change committed during it."""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from .models import WebhookEndpoint

KICK_WINDOW = 1


def kick(sender, shop_id=None, **kwargs):
    if not cache.add(f"webhooks-kick:{shop_id}", 1, timeout=KICK_WINDOW):
        return
    endpoints = WebhookEndpoint.objects.filter(is_active=True)
    if shop_id is not None:
        endpoints = endpoints.filter(shop_id=shop_id)
    if endpoints.exists():
        from .tasks import webhooks_dispatch_task

        # Inline (no broker: tests, `make run`) there is nothing to wait for.
        countdown = 0 if settings.CELERY_TASK_ALWAYS_EAGER else KICK_WINDOW
        webhooks_dispatch_task.apply_async(countdown=countdown)


def kick_created(sender, instance, created=False, **kwargs):
    """A new order is an event too (订单创建): kick once it is committed."""
    if created:
        shop_id = instance.shop_id
        transaction.on_commit(lambda: kick(sender, shop_id=shop_id))
