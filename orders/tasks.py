from celery import shared_task

from . import services


@shared_task
def order_accept_task(order_id: int) -> int:
    return services.order_accept(order_id=order_id).status


@shared_task
def orders_cancel_unpaid_task() -> int:
    return services.orders_cancel_unpaid()


@shared_task
def orders_complete_due_task() -> int:
    return services.orders_complete_due()


# Order files' jobs live in orders.files; imported so the worker registers them.
from .files.tasks import (  # noqa: E402, F401
    export_run_task,
    export_schedules_task,
    exports_purge_task,
    import_run_task,
)
from .webhooks.tasks import webhook_deliver_task, webhooks_dispatch_task  # noqa: E402, F401
