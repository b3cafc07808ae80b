from celery import shared_task

from .ledger.settlement import ledger_settle_due


@shared_task
def ledger_settle_due_task() -> dict:
    return ledger_settle_due()
