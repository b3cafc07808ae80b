from celery import shared_task

from . import delivery


@shared_task
def webhook_deliver_task(delivery_id: int) -> int:
    return delivery.deliver_chain(delivery_id=delivery_id)


@shared_task
def webhooks_dispatch_task() -> int:
    return delivery.dispatch(deliver=webhook_deliver_task.delay)
