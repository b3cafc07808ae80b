from celery import shared_task

from .batch.process import ship_batch_process


@shared_task
def ship_batch_process_task(batch_id: int) -> dict:
    """Ship a confirmed batch-ship file of more than SHIP_BATCH_INLINE_MAX_ROWS rows."""
    batch = ship_batch_process(batch_id=batch_id)
    return {"status": batch.status, "shipped": batch.shipped_rows, "failed": batch.failed_rows}
