from datetime import datetime

from celery import shared_task

from . import delivery


@shared_task
def webhook_deliver_task(endpoint_id: int, ids: list[int], until: str) -> int:
    batch = delivery.Claim(ids, datetime.fromisoformat(until))
    return delivery.drain(endpoint_id=endpoint_id, batch=batch)


def _queue(endpoint_id: int, batch: delivery.Claim) -> None:
    webhook_deliver_task.delay(endpoint_id, batch.ids, batch.until.isoformat())


@shared_task
def webhooks_dispatch_task() -> int:
    return delivery.dispatch(deliver=_queue)
